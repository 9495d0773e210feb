//! Personalize's schema rules as data: for each (domain or custom group) ×
//! dataset type, the required fields and reserved keywords with their types,
//! whether they admit null, and whether they must (or may not) be
//! categorical or textual; and the bounds on metadata fields. Every row names
//! the developer-guide page it comes from.
//!
//! Reading the pages: a keyword listed as "(float, null)" may be nullable,
//! one listed as "(long)" may not; "categorical string" must carry
//! `"categorical": true`; every other reserved string may not ("Reserved
//! categorical string fields must have the categorical attribute set to
//! true, while reserved string fields can't be categorical", SCHEMA_FORMAT).

use super::Primitive::{self, Double, Float, Long, String as Str};
use crate::resource::{DatasetType, Domain};

pub const SCHEMA_FORMAT: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/how-it-works-dataset-schema.html";
pub const CUSTOM: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/custom-datasets-and-schemas.html";
const INTERACTIONS: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/interactions-dataset-requirements.html";
const ITEMS: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/item-dataset-requirements.html";
const USERS: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/user-dataset-requirements.html";
const ACTIONS: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/action-dataset-requirements.html";
const ACTIONS_DATA: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/actions-datasets.html";
const ACTION_INTERACTIONS: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/action-interactions-dataset-requirements.html";
const ECOMMERCE: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-datasets-and-schemas.html";
const ECOMMERCE_ITEMS: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-items-dataset.html";
const VOD: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/VIDEO-ON-DEMAND-datasets-and-schemas.html";
const VOD_ITEMS: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/VIDEO-ON-DEMAND-items-dataset.html";
const VOD_USERS: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/VIDEO-ON-DEMAND-users-dataset.html";
pub const LIMITS: &str = "https://docs.aws.amazon.com/personalize/latest/dg/limits.html";

/// Whether a string field must carry `categorical` or `textual`, or may not
/// be categorical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Categorical,
    Textual,
    /// A reserved string that "can't be categorical"; for non-string fields
    /// this says nothing.
    Plain,
}

/// One required field or reserved keyword.
#[derive(Debug, Clone, Copy)]
pub struct FieldRule {
    pub name: &'static str,
    pub required: bool,
    /// The types it may have (besides null).
    pub types: &'static [Primitive],
    pub nullable: bool,
    pub attr: Attr,
    /// Whether it counts as the "1 metadata field" a Users schema needs (the
    /// VIDEO_ON_DEMAND default Users schema has only USER_ID and the reserved
    /// SUBSCRIPTION_MODEL, and the default schemas must be valid).
    pub counts_as_metadata: bool,
    pub source: &'static str,
}

const fn field(
    name: &'static str,
    required: bool,
    types: &'static [Primitive],
    nullable: bool,
    attr: Attr,
    source: &'static str,
) -> FieldRule {
    FieldRule {
        name,
        required,
        types,
        nullable,
        attr,
        counts_as_metadata: false,
        source,
    }
}

/// A required, non-null field.
const fn required(name: &'static str, t: Primitive, attr: Attr, source: &'static str) -> FieldRule {
    field(name, true, single(t), false, attr, source)
}

/// An optional reserved keyword.
const fn reserved(
    name: &'static str,
    t: Primitive,
    nullable: bool,
    attr: Attr,
    source: &'static str,
) -> FieldRule {
    field(name, false, single(t), nullable, attr, source)
}

const fn single(t: Primitive) -> &'static [Primitive] {
    match t {
        Str => &[Str],
        Long => &[Long],
        Float => &[Float],
        Double => &[Double],
        Primitive::Int => &[Primitive::Int],
        Primitive::Boolean => &[Primitive::Boolean],
    }
}

/// How many metadata fields (fields neither required nor reserved) a schema
/// may and must have.
#[derive(Debug, Clone, Copy)]
pub struct Metadata {
    /// At least this many categorical-string, numerical (or, for items,
    /// textual) metadata fields.
    pub min: usize,
    pub min_source: &'static str,
    pub max: Option<usize>,
    pub max_source: &'static str,
    /// Most fields in all (the Actions page bounds columns, not metadata).
    pub max_fields: Option<usize>,
}

/// The rules for one dataset type in one kind of group.
#[derive(Debug)]
pub struct DatasetRules {
    pub fields: &'static [FieldRule],
    pub metadata: Metadata,
}

use Attr::{Categorical, Plain, Textual};

const USER_ID_C: FieldRule = required("USER_ID", Str, Plain, CUSTOM);
const ITEM_ID_C: FieldRule = required("ITEM_ID", Str, Plain, CUSTOM);
const TIMESTAMP_C: FieldRule = required("TIMESTAMP", Long, Plain, CUSTOM);
// The dataset pages list EVENT_VALUE as `float`; `double` is accepted too:
// both are Avro floating types a CSV value parses into.
const EVENT_VALUE: FieldRule = field("EVENT_VALUE", false, &[Float, Double], true, Plain, CUSTOM);
const IMPRESSION: FieldRule = reserved("IMPRESSION", Str, true, Plain, CUSTOM);
const RECOMMENDATION_ID: FieldRule = reserved("RECOMMENDATION_ID", Str, true, Plain, CUSTOM);
const EVENT_ATTRIBUTION_SOURCE: FieldRule =
    reserved("EVENT_ATTRIBUTION_SOURCE", Str, true, Plain, CUSTOM);

/// "The maximum number of metadata fields excluding reserved fields, such as
/// IMPRESSION, is 5" (and the same quota on the limits page).
const INTERACTION_METADATA: Metadata = Metadata {
    min: 0,
    min_source: INTERACTIONS,
    max: Some(5),
    max_source: INTERACTIONS,
    max_fields: None,
};
/// "at least one metadata field is required and you can add at most 25".
const USER_METADATA: Metadata = Metadata {
    min: 1,
    min_source: USERS,
    max: Some(25),
    max_source: USERS,
    max_fields: None,
};
/// "At least one metadata field is required. You can add at most 100".
const ITEM_METADATA: Metadata = Metadata {
    min: 1,
    min_source: ITEMS,
    max: Some(100),
    max_source: ITEMS,
    max_fields: None,
};
/// Domain Items schemas need no metadata beyond their required fields.
const DOMAIN_ITEM_METADATA: Metadata = Metadata {
    min: 0,
    ..ITEM_METADATA
};

pub static CUSTOM_INTERACTIONS: DatasetRules = DatasetRules {
    fields: &[
        USER_ID_C,
        ITEM_ID_C,
        TIMESTAMP_C,
        reserved("EVENT_TYPE", Str, false, Plain, CUSTOM),
        EVENT_VALUE,
        IMPRESSION,
        RECOMMENDATION_ID,
        EVENT_ATTRIBUTION_SOURCE,
    ],
    metadata: INTERACTION_METADATA,
};

pub static CUSTOM_USERS: DatasetRules = DatasetRules {
    fields: &[USER_ID_C],
    metadata: USER_METADATA,
};

pub static CUSTOM_ITEMS: DatasetRules = DatasetRules {
    fields: &[
        ITEM_ID_C,
        reserved("CREATION_TIMESTAMP", Long, false, Plain, CUSTOM),
    ],
    metadata: ITEM_METADATA,
};

pub static ACTIONS_RULES: DatasetRules = DatasetRules {
    fields: &[
        required("ACTION_ID", Str, Plain, ACTIONS),
        reserved("CREATION_TIMESTAMP", Long, false, Plain, CUSTOM),
        reserved("VALUE", Long, true, Plain, CUSTOM),
        reserved("TYPE", Str, true, Plain, CUSTOM),
        reserved("EXPIRATION_TIMESTAMP", Long, true, Plain, CUSTOM),
        reserved("REPEAT_FREQUENCY", Long, true, Plain, CUSTOM),
    ],
    // "Your schema must have an minimum one metadata field"; "The maximum
    // number of columns is 10" (actions-datasets).
    metadata: Metadata {
        min: 1,
        min_source: ACTIONS,
        max: None,
        max_source: ACTIONS_DATA,
        max_fields: Some(10),
    },
};

pub static ACTION_INTERACTIONS_RULES: DatasetRules = DatasetRules {
    fields: &[
        required("USER_ID", Str, Plain, ACTION_INTERACTIONS),
        required("ACTION_ID", Str, Plain, ACTION_INTERACTIONS),
        required("TIMESTAMP", Long, Plain, ACTION_INTERACTIONS),
        required("EVENT_TYPE", Str, Plain, ACTION_INTERACTIONS),
        IMPRESSION,
        RECOMMENDATION_ID,
    ],
    metadata: Metadata {
        min: 0,
        min_source: ACTION_INTERACTIONS,
        max: None,
        max_source: ACTION_INTERACTIONS,
        max_fields: None,
    },
};

/// Domain interactions: the custom ones with EVENT_TYPE required ("EVENT_TYPE
/// (string and depending on use case, ...)" on each domain's page).
macro_rules! domain_interactions {
    ($source:expr) => {
        DatasetRules {
            fields: &[
                USER_ID_C,
                ITEM_ID_C,
                TIMESTAMP_C,
                required("EVENT_TYPE", Str, Plain, $source),
                EVENT_VALUE,
                IMPRESSION,
                RECOMMENDATION_ID,
                EVENT_ATTRIBUTION_SOURCE,
            ],
            metadata: Metadata {
                max_source: $source,
                ..INTERACTION_METADATA
            },
        }
    };
}

pub static ECOMMERCE_INTERACTIONS: DatasetRules = domain_interactions!(ECOMMERCE);
pub static VOD_INTERACTIONS: DatasetRules = domain_interactions!(VOD);

pub static ECOMMERCE_ITEMS_RULES: DatasetRules = DatasetRules {
    fields: &[
        required("ITEM_ID", Str, Plain, ECOMMERCE_ITEMS),
        required("PRICE", Float, Plain, ECOMMERCE_ITEMS),
        required("CATEGORY_L1", Str, Categorical, ECOMMERCE_ITEMS),
        reserved("CATEGORY_L2", Str, true, Categorical, ECOMMERCE_ITEMS),
        reserved("CATEGORY_L3", Str, true, Categorical, ECOMMERCE_ITEMS),
        reserved("PRODUCT_DESCRIPTION", Str, true, Textual, ECOMMERCE_ITEMS),
        // ECOMMERCE-items-dataset lists CREATION_TIMESTAMP as `float`, while
        // ECOMMERCE-datasets-and-schemas, the custom page and every default
        // schema use `long` (Unix epoch seconds): we follow `long`.
        reserved("CREATION_TIMESTAMP", Long, false, Plain, ECOMMERCE),
        reserved("AGE_GROUP", Str, true, Categorical, ECOMMERCE_ITEMS),
        reserved("ADULT", Str, true, Categorical, ECOMMERCE_ITEMS),
        reserved("GENDER", Str, true, Categorical, ECOMMERCE_ITEMS),
    ],
    metadata: Metadata {
        max_source: ECOMMERCE_ITEMS,
        ..DOMAIN_ITEM_METADATA
    },
};

pub static VOD_ITEMS_RULES: DatasetRules = DatasetRules {
    fields: &[
        required("ITEM_ID", Str, Plain, VOD_ITEMS),
        required("GENRES", Str, Categorical, VOD_ITEMS),
        required("CREATION_TIMESTAMP", Long, Plain, VOD),
        // VIDEO-ON-DEMAND-items-dataset lists PRICE and DURATION as `float`
        // without null, VIDEO-ON-DEMAND-datasets-and-schemas as
        // `float, null`: we accept null rather than refuse what AWS may take.
        reserved("PRICE", Float, true, Plain, VOD),
        reserved("DURATION", Float, true, Plain, VOD),
        reserved("GENRE_L2", Str, true, Categorical, VOD_ITEMS),
        reserved("GENRE_L3", Str, true, Categorical, VOD_ITEMS),
        reserved("AVERAGE_RATING", Float, true, Plain, VOD_ITEMS),
        reserved("PRODUCT_DESCRIPTION", Str, true, Textual, VOD_ITEMS),
        reserved("CONTENT_OWNER", Str, true, Categorical, VOD_ITEMS),
        reserved("CONTENT_CLASSIFICATION", Str, true, Categorical, VOD_ITEMS),
    ],
    metadata: Metadata {
        max_source: VOD_ITEMS,
        ..DOMAIN_ITEM_METADATA
    },
};

pub static ECOMMERCE_USERS: DatasetRules = DatasetRules {
    fields: &[USER_ID_C],
    metadata: USER_METADATA,
};

pub static VOD_USERS_RULES: DatasetRules = DatasetRules {
    fields: &[
        USER_ID_C,
        // "This field is an optional reserved keyword and must have a type of
        // string with categorical set to true."
        FieldRule {
            counts_as_metadata: true,
            ..reserved("SUBSCRIPTION_MODEL", Str, false, Categorical, VOD_USERS)
        },
    ],
    metadata: USER_METADATA,
};

/// The rules for `dataset_type` in a group of `domain` (`None`: custom).
/// Actions types exist only in custom groups; a domain group asking for them
/// is refused before this (`DatasetType::custom_only`), so they map to the
/// custom rules.
pub fn rules_for(domain: Option<Domain>, dataset_type: DatasetType) -> &'static DatasetRules {
    use DatasetType as T;
    match (domain, dataset_type) {
        (None, T::Interactions) => &CUSTOM_INTERACTIONS,
        (None, T::Items) => &CUSTOM_ITEMS,
        (None, T::Users) => &CUSTOM_USERS,
        (Some(Domain::Ecommerce), T::Interactions) => &ECOMMERCE_INTERACTIONS,
        (Some(Domain::Ecommerce), T::Items) => &ECOMMERCE_ITEMS_RULES,
        (Some(Domain::Ecommerce), T::Users) => &ECOMMERCE_USERS,
        (Some(Domain::VideoOnDemand), T::Interactions) => &VOD_INTERACTIONS,
        (Some(Domain::VideoOnDemand), T::Items) => &VOD_ITEMS_RULES,
        (Some(Domain::VideoOnDemand), T::Users) => &VOD_USERS_RULES,
        (_, T::Actions) => &ACTIONS_RULES,
        (_, T::ActionInteractions) => &ACTION_INTERACTIONS_RULES,
    }
}
