//! Patterns and lengths of Personalize's names and ARNs, from the API model
//! (botocore's `service-2.json` shapes), fully anchored.

/// Dataset group, dataset and child names (API shape `Name`).
pub const NAME: &str = r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*$";
pub const MAX_NAME_CHARS: usize = 63;
pub const REGION: &str = r"^[a-z]{2}(-[a-z]+)+-[0-9]+$";
pub const KMS_KEY_ARN: &str = r"^arn:aws.*:kms:.*:[0-9]{12}:key/.*$";
pub const MAX_KMS_KEY_ARN_CHARS: usize = 2048;
pub const ROLE_ARN: &str = r"^arn:([a-z\d-]+):iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$";
pub const MAX_ROLE_ARN_CHARS: usize = 256;
/// Tag keys and values (API shapes `TagKey`, `TagValue`).
pub const TAG_TEXT: &str = r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$";
pub const MAX_TAG_KEY_CHARS: usize = 128;
pub const MAX_TAG_VALUE_CHARS: usize = 256;
/// A solution's `autoTrainingConfig.schedulingExpression` (API shape
/// `SchedulingExpression`, anchored).
pub const SCHEDULE: &str = r"^rate\(\d+ days?\)$";
