//! Facts about Amazon Personalize that pzr and its emulator need, each with
//! the AWS page or API model it comes from: the resource kinds and their
//! statuses (`resource`), Avro schema mechanics (`avro`), reading bulk data
//! as an import job does (`import`) from buckets that S3 or a local
//! directory (`bucket_dir`) holds, the rulebook of what the service
//! refuses, recipes and quotas (`rules`), the API's name and ARN patterns
//! (`patterns`), and the prices it publishes (`pricing`, pzr's estimates).
//! Nothing here knows about specs, plans or addresses: this crate is the
//! service, not the tool.

pub mod avro;
pub mod bucket_dir;
pub mod import;
pub mod patterns;
pub mod pricing;
pub mod resource;
pub mod rules;
