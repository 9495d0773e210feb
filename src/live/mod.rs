//! The only module that talks to Personalize: reads a `LiveState` and
//! executes single API actions. "Not found" becomes `None` here and nowhere else.

mod actions;
mod client;
mod config;
mod error;
mod limits;
mod model;
mod read;

pub use actions::{
    Actions, DatasetSchema, ExistingChild, LatestUpdate, LiveStatus, SdkActions, SolutionVersion,
};
pub use client::{client_from, connect, Connection, Endpoint, PERSONALIZE_REGIONS};
pub use error::{LiveError, Problem};
pub use limits::{paced, LimitRetry};
pub use model::*;
pub use read::{read, read_extra, tags, ExtraReads};
