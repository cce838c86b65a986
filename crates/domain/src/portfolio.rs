//! The portfolio: entries a participant writes, submits and has verified, and the evidence files
//! they may hold.
//!
//! An entry moves draft → submitted (locked) → verified, or returned with comments and then
//! resubmitted. Withdrawing a submission takes it back to draft and clears any verification
//! (Mahara's rule: what was verified is no longer what is there once it can change).

use crate::rules::definition::PortfolioEntryKind;

crate::wire_enum! {
    pub enum EntryState {
        /// Being written: the participant's alone.
        Draft => "draft",
        /// Locked, waiting for the coach or tutor.
        Submitted => "submitted",
        /// Checked by the coach or tutor.
        Verified => "verified",
        /// Sent back with comments; editable again, then resubmitted.
        Returned => "returned",
    }
}

crate::wire_enum! {
    /// A move an entry makes.
    pub enum EntryMove {
        Submit => "submit",
        Withdraw => "withdraw",
        Verify => "verify",
        Return => "return",
    }
}

crate::wire_enum! {
    /// The impact themes of seed 001's posters (Annex A).
    pub enum PosterTheme {
        RaisedEngagementWithFamilies => "raised_engagement_with_families",
        ConstructiveUseOfEvidence => "constructive_use_of_evidence",
        ReflectionForAction => "reflection_for_action",
        RaisingAttainment => "raising_attainment",
        ActiveCollaboration => "active_collaboration",
        DevelopingSustainability => "developing_sustainability",
    }
}

/// A move that is not open from an entry's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an entry that is {from} cannot be {}", past(*.action))]
pub struct IllegalMove {
    pub from: EntryState,
    pub action: EntryMove,
}

fn past(m: EntryMove) -> &'static str {
    match m {
        EntryMove::Submit => "submitted",
        EntryMove::Withdraw => "withdrawn",
        EntryMove::Verify => "verified",
        EntryMove::Return => "returned",
    }
}

impl EntryState {
    /// The state `action` leads to from this one.
    pub fn apply(self, action: EntryMove) -> Result<EntryState, IllegalMove> {
        use EntryMove as M;
        use EntryState as S;
        match (self, action) {
            (S::Draft | S::Returned, M::Submit) => Ok(S::Submitted),
            (S::Submitted | S::Verified, M::Withdraw) => Ok(S::Draft),
            (S::Submitted, M::Verify) => Ok(S::Verified),
            (S::Submitted, M::Return) => Ok(S::Returned),
            (from, action) => Err(IllegalMove { from, action }),
        }
    }

    /// The participant may change the entry (text, files) or delete it.
    pub fn editable(self) -> bool {
        matches!(self, EntryState::Draft | EntryState::Returned)
    }

    /// It counts towards the programme's requirements: handed in and not sent back.
    pub fn counts(self) -> bool {
        matches!(self, EntryState::Submitted | EntryState::Verified)
    }

    /// Those who verify may see it: it has been handed in at least once and is not a draft now.
    pub fn handed_in(self) -> bool {
        self != EntryState::Draft
    }

    /// The moves open from this state, whoever makes them.
    pub fn moves(self) -> Vec<EntryMove> {
        EntryMove::ALL.iter().copied().filter(|m| self.apply(*m).is_ok()).collect()
    }
}

/// What an entry holds, as far as being ready to submit goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryContent {
    pub kind: PortfolioEntryKind,
    /// Words of its text (the reflection, the story, the commentary, the poster's panels).
    pub words: usize,
    /// A reflection names the session it is on.
    pub has_session: bool,
    pub files: usize,
    /// An impact poster: how many of its panels (focus, issues, actions, impact, desired outcomes)
    /// are written, and how many themes it names.
    pub poster_panels: usize,
    pub poster_themes: usize,
}

/// The panels of an impact poster.
pub const POSTER_PANELS: usize = 5;
/// The most evidence files one entry holds.
pub const MAX_FILES: usize = 20;

/// What stops an entry from being submitted, as (field, code, message).
pub fn submit_faults(c: &EntryContent) -> Vec<crate::cohort::FieldFault> {
    use crate::cohort::FieldFault as F;
    let mut out = vec![];
    match c.kind {
        PortfolioEntryKind::ImpactPoster => {
            if c.poster_panels < POSTER_PANELS {
                out.push(F::new(
                    "poster",
                    "entry_incomplete",
                    format!("write every panel of the poster ({} of {POSTER_PANELS} written)", c.poster_panels),
                ));
            }
            if c.poster_themes == 0 {
                out.push(F::new("poster.themes", "entry_incomplete", "name at least one impact theme"));
            }
        }
        _ if c.words == 0 => out.push(F::new("body", "entry_incomplete", "write the entry before submitting it")),
        _ => {}
    }
    if c.kind == PortfolioEntryKind::Reflection && !c.has_session {
        out.push(F::new("session_id", "entry_incomplete", "a reflection is on a session you attended"));
    }
    if c.kind == PortfolioEntryKind::EvidenceItem && c.files == 0 {
        out.push(F::new("files", "entry_incomplete", "an evidence item holds at least one file"));
    }
    out
}

crate::wire_enum! {
    /// The kinds of evidence file Trellis keeps, told by their bytes, not their names.
    pub enum FileKind {
        Pdf => "pdf",
        Docx => "docx",
        Xlsx => "xlsx",
        Pptx => "pptx",
        Png => "png",
        Jpeg => "jpeg",
        Mp4 => "mp4",
    }
}

impl FileKind {
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Mp4 => "video/mp4",
        }
    }

    /// The allowed kind with this media type.
    pub fn from_media_type(t: &str) -> Option<FileKind> {
        FileKind::ALL.iter().copied().find(|k| k.media_type() == t)
    }
}

/// A file name as it is stored and offered back: the last path component, without control or
/// quoting characters, at most 200 characters; "evidence" when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .take(200)
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    if trimmed.is_empty() { "evidence".to_owned() } else { trimmed.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntryMove as M;
    use EntryState as S;

    #[test]
    fn the_lifecycle() {
        assert_eq!(S::Draft.apply(M::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.apply(M::Verify), Ok(S::Verified));
        assert_eq!(S::Submitted.apply(M::Return), Ok(S::Returned));
        assert_eq!(S::Returned.apply(M::Submit), Ok(S::Submitted));
        // Withdrawing clears the verification.
        assert_eq!(S::Verified.apply(M::Withdraw), Ok(S::Draft));
        assert!(S::Draft.apply(M::Verify).is_err());
        assert!(S::Verified.apply(M::Return).is_err());
        assert!(S::Returned.apply(M::Withdraw).is_err());
        assert_eq!(
            S::Submitted.apply(M::Submit).unwrap_err().to_string(),
            "an entry that is submitted cannot be submitted"
        );
        assert!(S::Draft.editable() && S::Returned.editable() && !S::Submitted.editable() && !S::Verified.editable());
        assert!(S::Submitted.counts() && S::Verified.counts() && !S::Returned.counts() && !S::Draft.counts());
        assert_eq!(S::Submitted.moves(), vec![M::Withdraw, M::Verify, M::Return]);
    }

    #[test]
    fn what_a_submission_needs() {
        let c = EntryContent {
            kind: PortfolioEntryKind::Reflection,
            words: 0,
            has_session: false,
            files: 0,
            poster_panels: 0,
            poster_themes: 0,
        };
        let faults = submit_faults(&c);
        assert_eq!(faults.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["body", "session_id"]);
        assert!(submit_faults(&EntryContent { words: 120, has_session: true, ..c }).is_empty());
        let evidence = EntryContent { kind: PortfolioEntryKind::EvidenceItem, words: 10, ..c };
        assert_eq!(submit_faults(&evidence)[0].field, "files");
        let poster = EntryContent { kind: PortfolioEntryKind::ImpactPoster, poster_panels: 5, ..c };
        assert_eq!(submit_faults(&poster)[0].field, "poster.themes");
        assert!(submit_faults(&EntryContent { poster_themes: 2, ..poster }).is_empty());
    }

    #[test]
    fn file_names_are_tamed() {
        assert_eq!(clean_file_name("C:\\Users\\x\\report.pdf"), "report.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b;c\r\n.docx"), "abc.docx");
        assert_eq!(clean_file_name(".htaccess"), "htaccess");
        assert_eq!(clean_file_name("  "), "evidence");
        assert_eq!(FileKind::from_media_type("image/png"), Some(FileKind::Png));
        assert_eq!(FileKind::from_media_type("text/html"), None);
    }
}
