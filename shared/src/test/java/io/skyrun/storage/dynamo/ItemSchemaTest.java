package io.skyrun.storage.dynamo;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every field of an item goes into its own table attribute and comes back, and unset fields are not written. */
class ItemSchemaTest {

    private static List<Field> fields() {
        return Arrays.stream(Item.class.getFields()).filter(f -> !Modifier.isStatic(f.getModifiers())).toList();
    }

    @Test
    void everyFieldRoundTripsThroughItsOwnAttribute() throws Exception {
        Item item = new Item();
        int n = 0;
        for (Field field : fields()) {
            n++;
            Object value = switch (field.getType().getSimpleName()) {
                case "String" -> "value-" + field.getName();
                case "Long" -> 1_000_000_000_000L + n;
                case "Integer" -> 1000 + n;
                case "Boolean" -> Boolean.TRUE;
                default -> throw new AssertionError("unexpected type of " + field);
            };
            field.set(item, value);
        }

        Map<String, AttributeValue> written = Item.SCHEMA.itemToMap(item, true);
        Item back = Item.SCHEMA.mapToItem(written);

        assertThat(written).hasSize(fields().size()).hasSize(Item.Attribute.values().length);
        // each field under the attribute of its own name (the key attributes are upper case in the table)
        for (Field field : fields()) {
            String attribute = written.keySet().stream().filter(name -> name.equalsIgnoreCase(field.getName()))
                    .findFirst().orElseThrow(() -> new AssertionError("no attribute named like " + field.getName()));
            AttributeValue value = written.get(attribute);
            String stored = value.s() != null ? value.s() : value.n() != null ? value.n() : String.valueOf(value.bool());
            assertThat(stored).as(field.getName()).isEqualTo(String.valueOf(field.get(item)));
        }
        for (Field field : fields()) {
            assertThat(field.get(back)).as(field.getName()).isEqualTo(field.get(item));
        }
    }

    @Test
    void theKeysAndIndexesAreTaggedAndUnsetFieldsAreLeftOut() {
        assertThat(Item.SCHEMA.tableMetadata().primaryPartitionKey()).isEqualTo("PK");
        assertThat(Item.SCHEMA.tableMetadata().primarySortKey()).contains("SK");
        for (String index : List.of(Item.GSI1, Item.GSI2, Item.GSI3)) {
            assertThat(Item.SCHEMA.tableMetadata().indexPartitionKey(index)).isEqualTo(index + "PK");
            assertThat(Item.SCHEMA.tableMetadata().indexSortKey(index)).contains(index + "SK");
        }
        Item item = new Item();
        item.pk = "GOAL#g";
        item.sk = "GOAL";
        item.stepNo = 3;
        assertThat(Item.SCHEMA.itemToMap(item, true)).containsOnlyKeys("PK", "SK", "stepNo");
    }
}
