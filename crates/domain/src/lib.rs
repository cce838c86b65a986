//! The Trellis domain: the rules of school leadership-development programmes.
//!
//! This crate is pure: it performs no I/O, reads no clock and knows nothing of HTTP or SQL.
//! It compiles to `wasm32-unknown-unknown` so the SPA runs exactly the rules the server runs.

pub mod accounts;
pub mod assessment;
pub mod authz;
pub mod cohort;
pub mod dashboard;
pub mod delivery;
pub mod diagnostic;
pub mod enrolment;
pub mod evaluation;
pub mod expectations;
pub mod ids;
pub mod org;
pub mod partnership;
pub mod person;
pub mod portfolio;
pub mod project;
pub mod roster;
pub mod rules;
pub mod scope;
pub mod text;
pub mod urn;
pub mod webhook;
pub mod whole;

/// Years a date Trellis records may fall in (cohort dates, session times, coaching days): nothing
/// it records lies centuries away, and PostgreSQL's DATE and TIMESTAMP end at 4713 BC.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

pub use authz::{Action, Denied, Principal, Resource, Role, authorize};
pub use enrolment::{EnrolmentStatus, IllegalTransition, Transition, WithdrawalReason};
pub use org::{OrganisationKind, SchoolPhase};
pub use person::StaffRole;
pub use urn::{Urn, UrnError};

/// Declares a fieldless enum whose wire form is a stable snake_case string, with `as_str`,
/// `FromStr`, `ALL` and serde impls — the one place such vocabulary lives.
#[macro_export]
macro_rules! wire_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:tt),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // After the derives, so a `schema(...)` helper among them is in scope.
        $(#[$meta])*
        $vis enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable wire/database spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::UnknownValue { kind: stringify!($name), value: s.to_owned() }),
                }
            }
        }
    };
}

/// A string that is not one of an enumeration's known spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {kind}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}
