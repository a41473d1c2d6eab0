package org.xai4j.study;

import java.io.IOException;
import java.util.List;

/** One section of the report: it computes its numbers, writes its figures and tables, and fills its summary. */
interface StudySection {

    /** The progress steps the section takes for these networks. */
    int steps(List<StudyCase> cases);

    /**
     * Computes and writes the section.
     *
     * @throws org.xai4j.ExplanationCancelledException if the study is cancelled
     */
    void write(StudyContext ctx) throws IOException;
}
