package org.xai4j.study;

import java.util.List;
import org.xai4j.engine.ImageModel;
import org.xai4j.models.ImageClassifier;

/**
 * One network of the study with the inputs it explains.
 *
 * @param role       its role
 * @param classifier the network with its labels
 * @param inputs     its inputs, at its input size
 */
record StudyCase(StudyRole role, ImageClassifier classifier, List<StudyInput> inputs) {

    String key() {
        return role.key();
    }

    String name() {
        return classifier.name();
    }

    ImageModel model() {
        return classifier.model();
    }
}
