pub mod emulator;
pub mod env;
pub mod unowned;
