package org.xai4j.study;

import java.util.List;
import org.xai4j.engine.ImageModel;
import org.xai4j.models.VggModel;

/**
 * One network of the study with the inputs it explains.
 *
 * @param role   its role
 * @param vgg    the network with its labels
 * @param inputs its inputs, at its input size
 */
record StudyCase(StudyRole role, VggModel vgg, List<StudyInput> inputs) {

    String key() {
        return role.key();
    }

    String name() {
        return vgg.name();
    }

    ImageModel model() {
        return vgg.model();
    }
}
