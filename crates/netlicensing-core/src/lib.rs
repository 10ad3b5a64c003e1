//! NetLicensing domain rules over repository traits (grows with the CRUD and validation issues).

pub use netlicensing_model as model;
