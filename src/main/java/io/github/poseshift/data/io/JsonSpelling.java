package io.github.poseshift.data.io;

import com.google.gson.annotations.SerializedName;

/**
 * How an enum constant is spelled in JSON: its {@link SerializedName}, the one spelling Gson reads and
 * writes. Enums of the domain spec return it from {@code toString()}, so messages and printouts use the
 * same word as the file.
 */
public final class JsonSpelling {

    private JsonSpelling() {}

    /**
     * The {@link SerializedName} of {@code constant}.
     *
     * @throws IllegalStateException when the constant has none
     */
    public static String of(Enum<?> constant) {
        Class<?> type = constant.getDeclaringClass();
        try {
            SerializedName name = type.getField(constant.name()).getAnnotation(SerializedName.class);
            if (name == null) {
                throw new IllegalStateException(type.getName() + "." + constant.name() + " has no @SerializedName");
            }
            return name.value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
