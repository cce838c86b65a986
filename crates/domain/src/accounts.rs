//! Accounts: the context each role is held in, and the password rule (the SPA runs the same one
//! as the invitee types).

use crate::authz::Role;

/// What a role is held *in*.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleContext {
    /// Platform admins act everywhere.
    Everywhere,
    /// A trust (trust admins) or a provider (facilitators, coaches, assessors).
    Organisation,
    /// A school (school leads, participants).
    School,
}

impl Role {
    pub fn context(self) -> RoleContext {
        match self {
            Role::PlatformAdmin => RoleContext::Everywhere,
            Role::TrustAdmin | Role::Facilitator | Role::Coach | Role::Assessor => RoleContext::Organisation,
            Role::SchoolLead | Role::Participant => RoleContext::School,
        }
    }
}

/// Shortest password accepted, in characters (NCSC: length over complexity rules).
pub const PASSWORD_MIN: usize = 10;
/// Longest password accepted, in characters (the hash's input stays bounded).
pub const PASSWORD_MAX: usize = 128;

/// Why a password is refused; `code` is the field error code the API sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordFault {
    #[error("use at least {PASSWORD_MIN} characters")]
    TooShort,
    #[error("use at most {PASSWORD_MAX} characters")]
    TooLong,
    #[error("this password is too common or too easy to guess; try three or four random words")]
    TooCommon,
    #[error("do not use your email address in your password")]
    ContainsEmail,
}

impl PasswordFault {
    pub fn code(self) -> &'static str {
        match self {
            PasswordFault::TooShort => "password_too_short",
            PasswordFault::TooLong => "password_too_long",
            PasswordFault::TooCommon => "password_too_common",
            PasswordFault::ContainsEmail => "password_contains_email",
        }
    }
}

/// Words at the root of the most common leaked passwords (the long ones: anything shorter than
/// [`PASSWORD_MIN`] is refused already). A password that is one of these, ignoring case, with
/// digits or symbols around it, is refused — "Password2026!" as much as "password".
const COMMON_ROOTS: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssword",
    "p@ssw0rd",
    "qwerty",
    "qwertyuiop",
    "qwertyui",
    "asdfghjkl",
    "asdfgh",
    "zxcvbnm",
    "azerty",
    "letmein",
    "welcome",
    "iloveyou",
    "football",
    "baseball",
    "basketball",
    "monkey",
    "dragon",
    "sunshine",
    "princess",
    "superman",
    "batman",
    "shadow",
    "master",
    "charlie",
    "michael",
    "jennifer",
    "jessica",
    "computer",
    "starwars",
    "whatever",
    "trustno",
    "liverpool",
    "arsenal",
    "chelsea",
    "manchester",
    "tottenham",
    "teacher",
    "teaching",
    "school",
    "schools",
    "headteacher",
    "student",
    "students",
    "summer",
    "winter",
    "autumn",
    "spring",
    "changeme",
    "change",
    "admin",
    "administrator",
    "abc",
    "abcdef",
    "abcdefgh",
    "abcdefghij",
    "login",
    "secret",
    "trellis",
    "oakfield",
    "london",
    "england",
    "football",
    "freedom",
    "hello",
    "helloworld",
    "access",
    "flower",
    "lovely",
    "loveme",
    "mustang",
    "pokemon",
    "ashley",
    "daniel",
    "thomas",
    "robert",
    "matthew",
    "george",
    "william",
    "jordan",
    "hunter",
    "ranger",
    "soccer",
    "hockey",
    "killer",
    "cookie",
    "cheese",
    "banana",
    "orange",
    "purple",
    "silver",
    "ginger",
    "tigger",
    "snoopy",
    "google",
    "samsung",
    "iphone",
    "microsoft",
    "office",
    "monday",
    "friday",
    "january",
    "september",
    "december",
    "blink",
    "qazwsx",
    "qazwsxedc",
    "1q2w3e4r",
    "1qaz2wsx",
    "zaq12wsx",
    "q1w2e3r4",
    "q1w2e3r4t5",
    "1q2w3e4r5t",
    "a1b2c3d4",
    "aa",
    "abc123",
    "iloveu",
    "mypassword",
    "newpassword",
    "yourpassword",
    "default",
    "guest",
    "temp",
    "test",
    "testing",
    "demo",
    "qwerty123",
];

fn is_filler(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace()
}

/// Whether `password` is on the common list, or is guessable by its shape (one character or a
/// short pattern repeated, a run of the keyboard or the alphabet, only digits).
fn too_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let root = lower.trim_matches(is_filler);
    if root.is_empty() || COMMON_ROOTS.contains(&root) {
        return true;
    }
    let chars: Vec<char> = lower.chars().collect();
    // A short pattern repeated: "abcabcabcabc", "aaaaaaaaaaaa", "1212121212".
    let repeated = (1..=chars.len() / 2)
        .filter(|n| chars.len().is_multiple_of(*n))
        .any(|n| chars.chunks(n).all(|c| c == &chars[..n]));
    // A run: "abcdefghijk", "9876543210".
    let run = chars.windows(2).all(|w| (w[1] as i64 - w[0] as i64).abs() == 1);
    repeated || run
}

/// The password rule: long enough, not absurdly long, not common, not the email address.
pub fn check_password(password: &str, email: &str) -> Result<(), PasswordFault> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(PasswordFault::TooShort);
    }
    if n > PASSWORD_MAX {
        return Err(PasswordFault::TooLong);
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.chars().count() >= 4 && password.to_lowercase().contains(&local) {
        return Err(PasswordFault::ContainsEmail);
    }
    if too_common(password) {
        return Err(PasswordFault::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_short_common_and_patterned_passwords() {
        let email = "sam.jones@school.example";
        for (pw, fault) in [
            ("short", PasswordFault::TooShort),
            ("Password2026!", PasswordFault::TooCommon),
            ("  QWERTYUIOP  ", PasswordFault::TooCommon),
            ("12345678901", PasswordFault::TooCommon),
            ("abcabcabcabc", PasswordFault::TooCommon),
            ("abcdefghijklm", PasswordFault::TooCommon),
            ("zzzzzzzzzzzzzz", PasswordFault::TooCommon),
            ("sam.jones-rocks", PasswordFault::ContainsEmail),
        ] {
            assert_eq!(check_password(pw, email), Err(fault), "{pw}");
        }
        assert_eq!(check_password(&"x".repeat(129), email), Err(PasswordFault::TooLong));
    }

    #[test]
    fn accepts_long_unusual_passwords() {
        for pw in ["correct horse battery", "Kestrel-lantern-91", "trellis-demo-long", "ζωή και θάνατος"] {
            assert_eq!(check_password(pw, "a.b@c.d"), Ok(()), "{pw}");
        }
    }

    #[test]
    fn every_role_has_a_context() {
        assert_eq!(Role::Coach.context(), RoleContext::Organisation);
        assert_eq!(Role::Participant.context(), RoleContext::School);
        assert_eq!(Role::PlatformAdmin.context(), RoleContext::Everywhere);
    }
}
