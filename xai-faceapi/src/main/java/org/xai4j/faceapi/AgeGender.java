package org.xai4j.faceapi;

import java.util.Locale;

/**
 * face-api's age and gender prediction ({@code AgeGenderNet.predictAgeAndGender}).
 *
 * @param age               the estimated age in years
 * @param maleProbability   the softmax probability of "male" over the two gender logits
 */
public record AgeGender(double age, double maleProbability) {

    /**
     * From the age-gender model's outputs {@code [age, male logit, female logit]}.
     *
     * @param output the three outputs
     * @return the prediction
     */
    public static AgeGender fromOutput(float[] output) {
        if (output == null || output.length != 3) {
            throw new IllegalArgumentException("age-gender output must have 3 values [age, male, female], got "
                    + (output == null ? "null" : output.length));
        }
        double m = Math.max(output[1], output[2]);
        double em = Math.exp(output[1] - m);
        double ef = Math.exp(output[2] - m);
        return new AgeGender(output[0], em / (em + ef));
    }

    /** "male" or "female", as face-api decides ({@code probMale > 0.5}). */
    public String gender() {
        return maleProbability > 0.5 ? "male" : "female";
    }

    /** The probability of the decided gender. */
    public double genderProbability() {
        return maleProbability > 0.5 ? maleProbability : 1 - maleProbability;
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "AgeGender[age=%.1f, %s (%.3f)]", age, gender(), genderProbability());
    }
}
