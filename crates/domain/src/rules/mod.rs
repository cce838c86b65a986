//! Programme rules as data: a [`Definition`] lists what a programme requires, [`evaluate`] says
//! where one enrolment stands against it. The server and the SPA run this same code.

pub mod calendar;
pub mod definition;
pub mod presets;
pub mod progress;
pub mod words;

pub use calendar::TermCalendar;
pub use definition::{Definition, DefinitionFault};
pub use presets::{Preset, preset, presets};
pub use progress::{Facts, Progress, Requirement, RequirementStatus, evaluate};
pub use words::word_count;

#[cfg(test)]
mod tests;
