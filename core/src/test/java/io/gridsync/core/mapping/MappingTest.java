package io.gridsync.core.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingTest {

    private static final ObjectMapper M = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return M.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final JsonNode EVENT = json("""
            {'type':'identify','userId':'u1',
             'traits':{'email':'Ada@Example.com','first_name':'Ada','last_name':'Lovelace','age':36,
                       'address':{'city':'London'},'Favourite Colour':'green','blank':'  '},
             'properties':{'products':[{'product_id':'p1','price':3.5},{'product_id':'p2'}]},
             'context':{'traits':{'phone':'+442071838750'}}}
            """);

    private static JsonNode apply(String mapping) {
        return Mapping.compile(json(mapping)).resolve(EVENT);
    }

    @Test
    void pathsReadNestedValuesQuotedKeysAndArrayIndexes() {
        assertThat(apply("{'@path':'$.traits.email'}").asText()).isEqualTo("Ada@Example.com");
        assertThat(apply("{'@path':'$.traits.address.city'}").asText()).isEqualTo("London");
        JsonNode quoted = M.createObjectNode().put("@path", "$.traits['Favourite Colour']");
        assertThat(Mapping.compile(quoted).resolve(EVENT).asText()).isEqualTo("green");
        assertThat(apply("{'@path':'$.properties.products[1].product_id'}").asText()).isEqualTo("p2");
        assertThat(apply("{'@path':'$.traits.age'}").asInt()).isEqualTo(36);
        assertThat(apply("{'@path':'$.traits.nope.deeper'}")).isNull();
    }

    @Test
    void objectsLeaveOutMembersThatResolveToNothing() {
        JsonNode out = apply("{'email':{'@path':'$.traits.email'},'city':{'@path':'$.traits.address.city'},"
                + "'missing':{'@path':'$.traits.missing'},'source':'gridsync','n':3}");
        assertThat(out.toString()).isEqualTo("{\"email\":\"Ada@Example.com\",\"city\":\"London\",\"source\":\"gridsync\",\"n\":3}");
    }

    @Test
    void ifChoosesOnExistsAndOnBlank() {
        assertThat(apply("{'@if':{'exists':{'@path':'$.traits.phone'},'then':{'@path':'$.traits.phone'},"
                + "'else':{'@path':'$.context.traits.phone'}}}").asText()).isEqualTo("+442071838750");
        assertThat(apply("{'@if':{'exists':{'@path':'$.traits.email'},'then':'yes','else':'no'}}").asText()).isEqualTo("yes");
        assertThat(apply("{'@if':{'blank':{'@path':'$.traits.blank'},'then':'blank','else':'not'}}").asText()).isEqualTo("blank");
        assertThat(apply("{'@if':{'exists':{'@path':'$.traits.none'},'then':'yes'}}")).isNull();
    }

    @Test
    void templatesRenderPathsAndLeaveMissingOnesEmpty() {
        assertThat(apply("{'@template':'{{traits.first_name}} {{traits.last_name}}'}").asText()).isEqualTo("Ada Lovelace");
        assertThat(apply("{'@template':'Hi {{traits.nickname}}!'}").asText()).isEqualTo("Hi !");
    }

    @Test
    void arrayPathMapsEachItemAndCaseChangesText() {
        assertThat(apply("{'@arrayPath':['$.properties.products',{'id':{'@path':'$.product_id'}}]}").toString())
                .isEqualTo("[{\"id\":\"p1\"},{\"id\":\"p2\"}]");
        assertThat(apply("{'@case':{'operator':'lower','value':{'@path':'$.traits.email'}}}").asText()).isEqualTo("ada@example.com");
    }

    @Test
    void badMappingsAreRejectedWhenCompiledWithTheirPlace() {
        assertThatThrownBy(() -> Mapping.compile(json("{'email':{'@pth':'$.traits.email'}}")))
                .isInstanceOf(MappingException.class).hasMessageContaining("$mapping.email").hasMessageContaining("@pth");
        assertThatThrownBy(() -> Mapping.compile(json("{'@path':3}"))).hasMessageContaining("@path takes a string");
        assertThatThrownBy(() -> Mapping.compile(json("{'@path':'traits..email'}"))).hasMessageContaining("empty step");
        assertThatThrownBy(() -> Mapping.compile(json("{'@if':{'then':1}}"))).hasMessageContaining("@if takes");
        assertThatThrownBy(() -> Mapping.compile(json("{'@template':'{{traits.x'}"))).hasMessageContaining("unclosed");
    }
}
