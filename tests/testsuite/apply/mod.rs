mod bench;
mod examples;
mod failures;
mod faults;
mod interrupt;
mod lifecycle;
mod parallelism;
