/**
 * The seed study ("Explainability in Deep Learning Image Classification Networks") as an API: {@link
 * org.xai4j.study.Study} runs it as {@link org.xai4j.study.StudyConfig} says and writes a report folder (HTML, PNG
 * figures, {@code summary.json}); {@link org.xai4j.study.StudyResult} says what it wrote.
 */
package org.xai4j.study;
