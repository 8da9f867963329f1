package dev.netportal.ui;

import com.vaadin.flow.component.HasValidation;
import dev.netportal.common.DomainException;
import java.util.Map;

/** Shows a refusal where it belongs: at the form field it is about (the catalogue says which), else as a notice. */
public final class FieldErrors {

    private FieldErrors() {
    }

    /** Marks the field named by the refusal's catalogue entry; a refusal about no field of the form is a notice. */
    public static void show(DomainException refused, Map<String, ? extends HasValidation> fields) {
        HasValidation field = refused.field().map(fields::get).orElse(null);
        if (field == null) {
            Notices.error(refused.getMessage());
            return;
        }
        field.setErrorMessage(refused.getMessage());
        field.setInvalid(true);
    }
}
