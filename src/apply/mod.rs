//! Apply (to be written).
