//! Integration tests of the Personalize emulator, through the real
//! `aws-sdk-personalize` (and raw HTTP, boto3) over real HTTP.

mod api;
mod boto3;
mod concurrency;
mod conformance;
mod data_needs;
mod faults;
mod filters;
mod imports;
mod lifecycle;
mod protocol;
mod rules;
mod serving;
mod state;
