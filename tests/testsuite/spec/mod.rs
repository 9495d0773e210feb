mod cli;
mod fuzz;
mod validate;
