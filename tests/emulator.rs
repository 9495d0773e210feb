//! Integration tests of the Personalize emulator, through the real
//! `aws-sdk-personalize` (and raw HTTP, boto3) over real HTTP.

#[path = "emulator/support.rs"]
mod support;

#[path = "emulator/api.rs"]
mod api;
#[path = "emulator/boto3.rs"]
mod boto3;
#[path = "emulator/concurrency.rs"]
mod concurrency;
#[path = "emulator/faults.rs"]
mod faults;
#[path = "emulator/protocol.rs"]
mod protocol;
#[path = "emulator/state.rs"]
mod state;
