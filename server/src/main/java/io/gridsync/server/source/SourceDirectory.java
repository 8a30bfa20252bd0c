package io.gridsync.server.source;

import java.util.List;
import java.util.Optional;

/** The sources the mirror knows: in the hub its integrations; for the command line the one SENDGRID_API_KEY names. */
public interface SourceDirectory {

    List<Source> all();

    /** The source named {@code name} (an integration's name or id), or empty. */
    default Optional<Source> find(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Replaces the API key of {@code source}; directories whose keys come from elsewhere refuse. */
    default void setApiKey(Source source, String apiKey) {
        throw new IllegalArgumentException("the API key of source '" + source.name() + "' is set where it comes from: "
                + source.keyHint());
    }

    static SourceDirectory of(Source... sources) {
        List<Source> list = List.of(sources);
        return () -> list;
    }
}
