mod e2e;
mod golden;
mod properties;
