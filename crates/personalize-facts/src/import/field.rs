//! A schema field as the CSV reader needs it: its name, its Avro type and
//! whether it admits null, and how a CSV value parses as that type.

use serde_json::Value;

/// The Avro types Personalize's schemas use for data ("Personalize supports
/// [...] float, double, int, long, string, boolean, null",
/// https://docs.aws.amazon.com/personalize/latest/dg/custom-datasets-and-schemas.html).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Int,
    Long,
    Float,
    Double,
    Boolean,
}

impl FieldType {
    fn from_avro(name: &str) -> Option<FieldType> {
        Some(match name {
            "string" => FieldType::String,
            "int" => FieldType::Int,
            "long" => FieldType::Long,
            "float" => FieldType::Float,
            "double" => FieldType::Double,
            "boolean" => FieldType::Boolean,
            _ => return None,
        })
    }

    pub fn as_avro(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Int => "int",
            FieldType::Long => "long",
            FieldType::Float => "float",
            FieldType::Double => "double",
            FieldType::Boolean => "boolean",
        }
    }

    /// Whether a non-empty CSV value is a value of this type. TIMESTAMP is a
    /// `long` ("Timestamp data must be in UNIX epoch time format in
    /// seconds", preparing-training-data.html), so it parses as one.
    pub fn parses(self, text: &str) -> bool {
        match self {
            FieldType::String => true,
            FieldType::Int => text.parse::<i32>().is_ok(),
            FieldType::Long => text.parse::<i64>().is_ok(),
            FieldType::Float => text.parse::<f32>().is_ok_and(f32::is_finite),
            FieldType::Double => text.parse::<f64>().is_ok_and(f64::is_finite),
            // Avro's boolean literals.
            FieldType::Boolean => matches!(text, "true" | "false"),
        }
    }
}

/// One field of a dataset schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub field_type: FieldType,
    /// A union with `"null"`: the column may be absent or a value empty.
    pub nullable: bool,
}

impl Field {
    /// The top-level record's fields of a parsed schema (`avro::parse`), in
    /// order. A field whose type is none of `FieldType`'s is left out: the
    /// schema rules (`rules`) refuse such schemas before data arrives.
    pub fn of_schema(schema: &Value) -> Vec<Field> {
        crate::avro::fields(schema)
            .into_iter()
            .filter_map(|(name, field)| {
                let (field_type, nullable) = field_type(field.get("type")?)?;
                Some(Field {
                    name,
                    field_type,
                    nullable,
                })
            })
            .collect()
    }

    /// Whether `text` is a valid value of this field: empty only where
    /// nullable, otherwise a value of its type.
    pub fn accepts(&self, text: &str) -> bool {
        if text.is_empty() {
            self.nullable
        } else {
            self.field_type.parses(text)
        }
    }
}

/// The type of an Avro field's `type` and whether it admits null: `"long"`,
/// `["null", "string"]`, or `{"type": "string", ...}`.
fn field_type(avro: &Value) -> Option<(FieldType, bool)> {
    match avro {
        Value::String(name) => Some((FieldType::from_avro(name)?, false)),
        Value::Array(branches) => {
            let nullable = branches.iter().any(|b| b.as_str() == Some("null"));
            let (t, _) = branches
                .iter()
                .filter(|b| b.as_str() != Some("null"))
                .find_map(field_type)?;
            Some((t, nullable))
        }
        Value::Object(inner) => field_type(inner.get("type")?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_carry_type_and_nullability() {
        let schema = json!({"type": "record", "name": "I", "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "PRICE", "type": ["null", "float"]},
            {"name": "GENRE", "type": ["string", "null"], "categorical": true},
            {"name": "TEXT", "type": {"type": "string"}},
        ]});
        let fields = Field::of_schema(&schema);
        let kinds: Vec<_> = fields
            .iter()
            .map(|f| (f.name.as_str(), f.field_type, f.nullable))
            .collect();
        assert_eq!(
            kinds,
            [
                ("USER_ID", FieldType::String, false),
                ("PRICE", FieldType::Float, true),
                ("GENRE", FieldType::String, true),
                ("TEXT", FieldType::String, false),
            ]
        );
    }

    #[test]
    fn values_parse_as_their_type_and_are_empty_only_where_nullable() {
        let field = |t, nullable| Field {
            name: "F".into(),
            field_type: t,
            nullable,
        };
        assert!(field(FieldType::Long, false).accepts("1700000000"));
        assert!(!field(FieldType::Long, false).accepts("1.7e9"));
        assert!(!field(FieldType::Long, false).accepts(""));
        assert!(field(FieldType::Long, true).accepts(""));
        assert!(!field(FieldType::Int, false).accepts("3000000000"));
        assert!(field(FieldType::Float, false).accepts("2.5"));
        assert!(!field(FieldType::Double, false).accepts("NaN"));
        assert!(field(FieldType::Boolean, false).accepts("true"));
        assert!(!field(FieldType::Boolean, false).accepts("yes"));
        assert!(!field(FieldType::String, false).accepts(""));
        assert!(field(FieldType::String, false).accepts("x"));
    }
}
