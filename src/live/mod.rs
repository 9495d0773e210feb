//! The only module that talks to Personalize: reads a `LiveState` and
//! executes single API actions.

mod model;

pub use model::*;
