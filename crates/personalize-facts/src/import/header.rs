//! The CSV header against the schema: which column holds which field, and
//! the schema's required fields the header lacks.

use std::fmt;

use super::field::Field;

/// "Input CSV is missing the following columns:[COLUMN_NAME, COLUMN_NAME]"
/// (https://docs.aws.amazon.com/personalize/latest/dg/error-messages.html,
/// spelled as there):
/// the schema's fields that are not nullable and that the header does not
/// name, in schema order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct MissingColumns(pub Vec<String>);

impl fmt::Display for MissingColumns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Input CSV is missing the following columns:[{}]",
            self.0.join(", ")
        )
    }
}

/// Where each schema field is in a CSV's rows: `columns[i]` is the field of
/// column `i`, if the schema has one of that name (other columns are not
/// read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub columns: Vec<Option<Field>>,
}

impl Layout {
    /// Matches a header row against the schema's fields.
    pub fn from_header<'h>(
        header: impl IntoIterator<Item = &'h str>,
        fields: &[Field],
    ) -> Result<Layout, MissingColumns> {
        let columns: Vec<Option<Field>> = header
            .into_iter()
            .map(|name| fields.iter().find(|f| f.name == name).cloned())
            .collect();
        let missing: Vec<String> = fields
            .iter()
            .filter(|f| !f.nullable)
            .filter(|f| !columns.iter().flatten().any(|c| c.name == f.name))
            .map(|f| f.name.clone())
            .collect();
        if missing.is_empty() {
            Ok(Layout { columns })
        } else {
            Err(MissingColumns(missing))
        }
    }

    /// The column index of the field named `name`.
    pub fn column_of(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.as_ref().is_some_and(|f| f.name == name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::FieldType;

    fn field(name: &str, nullable: bool) -> Field {
        Field {
            name: name.into(),
            field_type: FieldType::String,
            nullable,
        }
    }

    #[test]
    fn names_every_required_field_the_header_lacks_as_aws_does() {
        let fields = [
            field("USER_ID", false),
            field("ITEM_ID", false),
            field("TIMESTAMP", false),
            field("EVENT_TYPE", true),
        ];
        let err = Layout::from_header(["USER_ID", "EVENT_TYPE"], &fields).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Input CSV is missing the following columns:[ITEM_ID, TIMESTAMP]"
        );
        let layout = Layout::from_header(["ITEM_ID", "X", "TIMESTAMP", "USER_ID"], &fields)
            .expect("nullable columns may be absent");
        assert_eq!(layout.column_of("USER_ID"), Some(3));
        assert_eq!(layout.columns[1], None);
        assert_eq!(layout.column_of("EVENT_TYPE"), None);
    }
}
