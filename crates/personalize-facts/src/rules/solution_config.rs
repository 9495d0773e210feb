//! A solution's `solutionConfig` as the API model declares it (shape
//! `SolutionConfig` of botocore's `personalize-2018-05-22.json`, vendored at
//! `botocore/` of this crate; its page is
//! https://docs.aws.amazon.com/personalize/latest/dg/API_SolutionConfig.html):
//! which members a spec's `config` may hold, and the shape of each value,
//! as data. A test walks these shapes against the vendored model, so a
//! member, type or bound that drifts from it fails there.

use super::shape::Shape;

/// The page of `SolutionConfig`.
pub const SOURCE: &str =
    "https://docs.aws.amazon.com/personalize/latest/dg/API_SolutionConfig.html";

const fn string(botocore: &'static str, min: Option<usize>, max: usize) -> Shape {
    Shape::Str {
        botocore,
        min,
        max: Some(max),
        pattern: None,
        allowed: &[],
    }
}

static PARAMETER_NAME: Shape = string("ParameterName", None, 256);
static PARAMETER_VALUE: Shape = string("ParameterValue", None, 1000);
/// A map of hyperparameter names to values (`algorithmHyperParameters`,
/// and `itemExplorationConfig` elsewhere).
pub static HYPER_PARAMETERS: Shape = Shape::Map {
    botocore: "HyperParameters",
    max: Some(100),
    key: &PARAMETER_NAME,
    value: &PARAMETER_VALUE,
};
static FEATURE_TRANSFORMATION_PARAMETERS: Shape = Shape::Map {
    botocore: "FeatureTransformationParameters",
    max: Some(100),
    key: &PARAMETER_NAME,
    value: &PARAMETER_VALUE,
};
static EVENT_VALUE_THRESHOLD: Shape = string("EventValueThreshold", None, 256);
static EVENT_TYPE: Shape = string("EventType", None, 256);
static EVENT_PARAMETERS: Shape = Shape::Struct {
    botocore: "EventParameters",
    members: &[
        ("eventType", &EVENT_TYPE),
        (
            "eventValueThreshold",
            &Shape::Double {
                botocore: "EventTypeThresholdValue",
                min: None,
                max: None,
            },
        ),
        (
            "weight",
            &Shape::Double {
                botocore: "EventTypeWeight",
                min: Some(0.0),
                max: Some(1.0),
            },
        ),
    ],
};
static EVENTS_CONFIG: Shape = Shape::Struct {
    botocore: "EventsConfig",
    members: &[(
        "eventParametersList",
        &Shape::List {
            botocore: "EventParametersList",
            max: Some(10),
            member: &EVENT_PARAMETERS,
        },
    )],
};
static OPTIMIZATION_OBJECTIVE: Shape = Shape::Struct {
    botocore: "OptimizationObjective",
    members: &[
        ("itemAttribute", &string("ItemAttribute", Some(1), 150)),
        (
            "objectiveSensitivity",
            &Shape::Str {
                botocore: "ObjectiveSensitivity",
                min: None,
                max: None,
                pattern: None,
                allowed: &["LOW", "MEDIUM", "HIGH", "OFF"],
            },
        ),
    ],
};
static DATASET_TYPE: Shape = Shape::Str {
    botocore: "DatasetType",
    min: None,
    max: Some(256),
    pattern: Some("^[A-Za-z_]+$"),
    allowed: &[],
};
static COLUMN_NAMES: Shape = Shape::List {
    botocore: "ColumnNamesList",
    max: Some(50),
    member: &Shape::Str {
        botocore: "ColumnName",
        min: None,
        max: Some(150),
        pattern: Some(r"^[A-Za-z_][A-Za-z\d_]*$"),
        allowed: &[],
    },
};
/// `trainingDataConfig`, of solutions and recommenders alike.
pub static TRAINING_DATA_CONFIG: Shape = Shape::Struct {
    botocore: "TrainingDataConfig",
    members: &[
        (
            "excludedDatasetColumns",
            &Shape::Map {
                botocore: "ExcludedDatasetColumns",
                max: Some(3),
                key: &DATASET_TYPE,
                value: &COLUMN_NAMES,
            },
        ),
        (
            "includedDatasetColumns",
            &Shape::Map {
                botocore: "IncludedDatasetColumns",
                max: Some(3),
                key: &DATASET_TYPE,
                value: &COLUMN_NAMES,
            },
        ),
    ],
};

/// What pzr does with one member of `SolutionConfig`.
#[derive(Debug)]
pub enum Support {
    /// Written in `config` as the API takes it.
    Config(&'static Shape),
    /// Written elsewhere in the spec: the path to use instead.
    Elsewhere(&'static str),
    /// Not managed by pzr yet: why, and what to do meanwhile.
    NotYet(&'static str),
}

/// One member of `SolutionConfig`.
#[derive(Debug)]
pub struct Member {
    pub name: &'static str,
    /// The botocore shape of its value.
    pub botocore: &'static str,
    pub support: Support,
}

/// Every member of `SolutionConfig`, in the model's order.
pub static MEMBERS: [Member; 9] = [
    Member {
        name: "eventValueThreshold",
        botocore: "EventValueThreshold",
        support: Support::Config(&EVENT_VALUE_THRESHOLD),
    },
    Member {
        name: "hpoConfig",
        botocore: "HPOConfig",
        support: Support::NotYet(
            "pzr does not manage hyperparameter optimisation ranges yet (its cost depends on the number of training jobs they start); set fixed values in `algorithmHyperParameters`, or tune in a solution outside the stack",
        ),
    },
    Member {
        name: "algorithmHyperParameters",
        botocore: "HyperParameters",
        support: Support::Config(&HYPER_PARAMETERS),
    },
    Member {
        name: "featureTransformationParameters",
        botocore: "FeatureTransformationParameters",
        support: Support::Config(&FEATURE_TRANSFORMATION_PARAMETERS),
    },
    Member {
        name: "autoMLConfig",
        botocore: "AutoMLConfig",
        support: Support::NotYet(
            "pzr does not manage AutoML solutions (AWS deprecated AutoML in favour of choosing a recipe); name a recipe in `recipe`",
        ),
    },
    Member {
        name: "eventsConfig",
        botocore: "EventsConfig",
        support: Support::Config(&EVENTS_CONFIG),
    },
    Member {
        name: "optimizationObjective",
        botocore: "OptimizationObjective",
        support: Support::Config(&OPTIMIZATION_OBJECTIVE),
    },
    Member {
        name: "trainingDataConfig",
        botocore: "TrainingDataConfig",
        support: Support::Config(&TRAINING_DATA_CONFIG),
    },
    Member {
        name: "autoTrainingConfig",
        botocore: "AutoTrainingConfig",
        support: Support::Elsewhere("training.schedule"),
    },
];

/// The member named `name`.
pub fn member(name: &str) -> Option<&'static Member> {
    MEMBERS.iter().find(|m| m.name == name)
}

#[cfg(test)]
mod tests {
    use super::super::shape::{check, Step};
    use super::*;
    use serde_json::{Map, Value};

    fn model() -> Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/botocore/personalize-2018-05-22.json"
        );
        serde_json::from_str(&std::fs::read_to_string(path).expect("vendored model")).expect("JSON")
    }

    fn unanchored(pattern: &str) -> &str {
        pattern.trim_start_matches('^').trim_end_matches('$')
    }

    /// Asserts `shape` is botocore's shape `name`, member by member.
    fn same(shapes: &Map<String, Value>, name: &str, shape: &Shape) {
        assert_eq!(shape.botocore(), name);
        let model = &shapes[name];
        let bound = |key: &str| model.get(key).and_then(Value::as_f64);
        let as_usize = |b: Option<usize>| b.map(|b| b as f64);
        let shape_of = |member: &Value| member["shape"].as_str().expect("shape").to_string();
        match shape {
            Shape::Str {
                min,
                max,
                pattern,
                allowed,
                ..
            } => {
                assert_eq!(model["type"], "string", "{name}");
                assert_eq!(
                    (as_usize(*min), as_usize(*max)),
                    (bound("min"), bound("max")),
                    "{name}"
                );
                assert_eq!(
                    pattern.map(unanchored),
                    model.get("pattern").and_then(Value::as_str).map(unanchored),
                    "{name}"
                );
                let model_enum: Vec<&str> = model
                    .get("enum")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                assert_eq!(allowed.to_vec(), model_enum, "{name}");
            }
            Shape::Double { min, max, .. } => {
                assert_eq!(model["type"], "double", "{name}");
                assert_eq!((*min, *max), (bound("min"), bound("max")), "{name}");
            }
            Shape::Map {
                max, key, value, ..
            } => {
                assert_eq!(model["type"], "map", "{name}");
                assert_eq!(as_usize(*max), bound("max"), "{name}");
                same(shapes, &shape_of(&model["key"]), key);
                same(shapes, &shape_of(&model["value"]), value);
            }
            Shape::List { max, member, .. } => {
                assert_eq!(model["type"], "list", "{name}");
                assert_eq!(as_usize(*max), bound("max"), "{name}");
                same(shapes, &shape_of(&model["member"]), member);
            }
            Shape::Struct { members, .. } => {
                assert_eq!(model["type"], "structure", "{name}");
                let model_members = model["members"].as_object().expect("members");
                let names: Vec<&str> = members.iter().map(|(n, _)| *n).collect();
                let model_names: Vec<&str> = model_members.keys().map(String::as_str).collect();
                assert_eq!(names, model_names, "{name}");
                for (member, shape) in *members {
                    same(shapes, &shape_of(&model_members[*member]), shape);
                }
            }
        }
    }

    #[test]
    fn the_member_table_is_the_vendored_api_model() {
        let model = model();
        let shapes = model["shapes"].as_object().expect("shapes");
        let members = shapes["SolutionConfig"]["members"]
            .as_object()
            .expect("members");
        let names: Vec<&str> = MEMBERS.iter().map(|m| m.name).collect();
        assert_eq!(
            names,
            members.keys().map(String::as_str).collect::<Vec<_>>()
        );
        for member in &MEMBERS {
            assert_eq!(
                members[member.name]["shape"], member.botocore,
                "{}",
                member.name
            );
            if let Support::Config(shape) = member.support {
                same(shapes, member.botocore, shape);
            }
        }
        // Recommenders and campaigns take the same shapes.
        let recommender = &shapes["RecommenderConfig"]["members"];
        assert_eq!(
            recommender["trainingDataConfig"]["shape"],
            "TrainingDataConfig"
        );
        assert_eq!(
            recommender["itemExplorationConfig"]["shape"],
            "HyperParameters"
        );
        assert_eq!(
            shapes["CampaignConfig"]["members"]["itemExplorationConfig"]["shape"],
            "HyperParameters"
        );
        same(shapes, "HyperParameters", &HYPER_PARAMETERS);
    }

    #[test]
    fn values_are_checked_against_their_shape_with_their_location() {
        let value = serde_json::json!({
            "eventParametersList": [
                {"eventType": "click", "weight": 1.5},
                {"eventType": 3, "wieght": 0.5}
            ]
        });
        let found = check(&value, &EVENTS_CONFIG);
        let at = |i: usize, key: &str| {
            vec![
                Step::Key("eventParametersList".into()),
                Step::Index(i),
                Step::Key(key.into()),
            ]
        };
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[0].steps, at(0, "weight"));
        assert_eq!(found[0].message, "1.5 is out of range");
        assert_eq!(found[1].steps, at(1, "eventType"));
        assert!(found[1].hint.contains("quote it"), "{}", found[1].hint);
        assert_eq!(found[2].steps, at(1, "wieght"));
        assert!(found[2].at_key);
        assert_eq!(found[2].hint, "did you mean `weight`?");
        let columns = serde_json::json!({"excludedDatasetColumns": {"Items": ["PRICE", "9x"]}});
        let found = check(&columns, &TRAINING_DATA_CONFIG);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("`9x` does not match"));
    }
}
