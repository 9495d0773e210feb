//! The only module that talks to Personalize: reads a `state::LiveState` and
//! executes single API actions, every request through one path
//! (`request::Personalize`). "Not found" becomes `None` here and nowhere else.

mod actions;
mod client;
mod config;
mod data;
mod error;
mod limits;
mod metric_attribution;
mod read;
mod request;

pub use actions::{
    Actions, DatasetSchema, ExistingChild, LatestUpdate, LiveStatus, NewImport, SolutionVersion,
};
pub use client::{client_from, connect, Connection, Endpoint, PERSONALIZE_REGIONS};
pub use data::{data_client_from, get_object, list_objects, S3Error};
pub use error::{LiveError, Problem};
pub use limits::LimitRetry;
pub use read::{read, read_extra, tags};
pub use request::Personalize;
