package dev.netportal;

/** Which web contexts one process starts ({@code netportal.mode}); production runs each as its own deployment. */
public enum Mode {
    /** API and UI (and, in development, the sign-in provider): the local all-in-one run. */
    ALL,
    /** Only the Vaadin UI. */
    UI,
    /** Only the REST API. */
    API;

    boolean startsUi() {
        return this == ALL || this == UI;
    }

    boolean startsApi() {
        return this == ALL || this == API;
    }
}
