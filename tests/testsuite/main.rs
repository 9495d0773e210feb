mod support;

mod apply;
mod cli;
mod drift;
mod emulator;
mod export;
mod plan;
mod sandbox;
mod schemas;
mod spec;
