//! The messages Trellis sends: plain text and HTML, in plain words (the GOV.UK style: say what
//! happened, what to do, and by when).

use crate::db::outbox::NewMessage;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Paragraphs (and one link) as both bodies.
fn message(
    kind: &'static str,
    to: &str,
    subject: String,
    paras: &[String],
    link: Option<(&str, &str)>,
    secret: bool,
) -> NewMessage {
    let mut text = String::new();
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><body style=\"font-family:Arial,sans-serif;font-size:19px;line-height:1.4;color:#0b0c0c\">",
    );
    for (i, p) in paras.iter().enumerate() {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(p)));
        if i == 0
            && let Some((label, url)) = link
        {
            text.push_str(&format!("{label}:\n{url}\n\n"));
            html.push_str(&format!("<p><a href=\"{}\">{}</a></p>", escape(url), escape(label)));
        }
    }
    text.push_str("Trellis\n");
    html.push_str("<p>Trellis</p></body></html>");
    NewMessage { kind, to: to.to_owned(), subject, text, html, secret }
}

/// An invitation to take a role.
pub fn invitation(
    to: &str,
    name: &str,
    inviter: &str,
    role: &str,
    context: Option<&str>,
    link: &str,
    expires: &str,
) -> NewMessage {
    let place = context.map(|c| format!(" at {c}")).unwrap_or_default();
    message(
        "invitation",
        to,
        format!("You have been invited to Trellis as {role}{place}"),
        &[
            format!("Dear {name},\n\n{inviter} has invited you to use Trellis as {role}{place}."),
            format!(
                "The link works once and expires on {expires}. If it has expired, ask {inviter} to invite you again."
            ),
            "If you were not expecting this email, you can ignore it.".to_owned(),
        ],
        Some(("Accept the invitation", link)),
        false,
    )
}

/// A date as emails write it: "5 March 2027".
pub fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A request to rate a participant in a 360 round: the link is the rater's alone.
pub fn rater_invitation(
    to: &str,
    rater: &str,
    participant: &str,
    programme: &str,
    link: &str,
    closes: &str,
) -> NewMessage {
    message(
        "diagnostic_invitation",
        to,
        format!("{participant} asks for your view: a 360 leadership review"),
        &[
            format!(
                "Dear {rater},\n\n{participant} is on {programme} and has asked you to take part in their 360 leadership review. It takes about 10 minutes: you rate the leadership behaviours and areas you have seen, and can add a few words."
            ),
            format!(
                "Your answers are combined with others' and never shown as yours (except a line manager's, which are shown as the line manager's). You can save and come back, or decline. The link is yours alone and works until {closes}."
            ),
            "You do not need an account. If you were not expecting this email, you can ignore it.".to_owned(),
        ],
        Some(("Give your view", link)),
        true,
    )
}

/// The one reminder before a round closes.
pub fn rater_reminder(to: &str, rater: &str, participant: &str, link: &str, closes: &str) -> NewMessage {
    message(
        "diagnostic_reminder",
        to,
        format!("Reminder: {participant}'s 360 review closes on {closes}"),
        &[
            format!(
                "Dear {rater},\n\n{participant}'s 360 leadership review closes on {closes}, and we have not had your view yet. Any answers you saved are kept."
            ),
            "This link works as well as the first one. If you would rather not take part, the page lets you decline."
                .to_owned(),
        ],
        Some(("Give your view", link)),
        true,
    )
}

/// A password reset link.
pub fn password_reset(to: &str, name: &str, link: &str, expires: &str) -> NewMessage {
    message(
        "password_reset",
        to,
        "Reset your Trellis password".to_owned(),
        &[
            format!("Dear {name},\n\nSomeone asked to reset the password for this Trellis account."),
            format!("The link works once and expires at {expires}. Resetting your password signs you out everywhere."),
            "If you did not ask for this, ignore this email: your password has not changed.".to_owned(),
        ],
        Some(("Choose a new password", link)),
        true,
    )
}

/// Tells the owner their password changed (so a takeover does not go unnoticed).
pub fn password_changed(to: &str, name: &str) -> NewMessage {
    message(
        "password_changed",
        to,
        "Your Trellis password has been changed".to_owned(),
        &[
            format!(
                "Dear {name},\n\nThe password for your Trellis account has just been changed, and every sign-in was ended."
            ),
            "If you did not do this, reset your password at once and tell your Trellis administrator.".to_owned(),
        ],
        None,
        false,
    )
}

/// Tells whoever registered a machine client that one of its webhook subscriptions was switched
/// off after failing again and again.
pub fn webhook_disabled(to: &str, client: &str, url: &str, reason: &str) -> NewMessage {
    message(
        "webhook_disabled",
        to,
        format!("Webhooks to {client} have been switched off"),
        &[
            format!("Trellis could not deliver webhooks for the client \u{201c}{client}\u{201d} to {url}, and has switched that subscription off: {reason}."),
            "Messages that were waiting are kept. Once the endpoint answers again, switch the subscription back on (PATCH it with \"enabled\": true) and they will be sent; any that failed can be replayed from its delivery log.".to_owned(),
        ],
        None,
        false,
    )
}

/// Tells someone taking part in a partnership round that it is postponed, until when and why.
pub fn partnership_postponed(
    to: &str,
    name: &str,
    round: &str,
    restart_on: chrono::NaiveDate,
    reason: &str,
    origin: &str,
) -> NewMessage {
    let on = restart_on.format("%-d %B %Y");
    message(
        "partnership_postponed",
        to,
        format!("{round} is postponed until {on}"),
        &[
            format!("Dear {name},\n\nThe partnership round \u{201c}{round}\u{201d} is postponed. It is due to restart on {on}."),
            format!("Why: {reason}"),
            "Needs already posted and colleagues already matched stay as they are; nothing new is posted or matched until the round restarts. Visits already arranged can still be logged.".to_owned(),
            format!("You can see the round at {origin}/partnerships."),
        ],
        None,
        false,
    )
}

/// Tells someone taking part in a postponed round that it has restarted.
pub fn partnership_resumed(to: &str, name: &str, round: &str, origin: &str) -> NewMessage {
    message(
        "partnership_resumed",
        to,
        format!("{round} has restarted"),
        &[
            format!(
                "Dear {name},\n\nThe partnership round \u{201c}{round}\u{201d} has restarted: schools can post needs and match colleagues again."
            ),
            format!("You can see the round at {origin}/partnerships."),
        ],
        None,
        false,
    )
}

/// The board of a round, sent to each participating school's leads: every need not yet matched,
/// by school, so they can match a member of their staff to one in another school.
pub fn partnership_board(
    to: &str,
    name: &str,
    round: &str,
    needs: &[(String, String, String)],
    link: &str,
) -> NewMessage {
    let list = if needs.is_empty() {
        "No needs are waiting for a colleague just now.".to_owned()
    } else {
        needs
            .iter()
            .map(|(school, area, title)| format!("\u{2022} {school} \u{2014} {area}: {title}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    message(
        "partnership_board",
        to,
        format!("{round}: {} needs waiting for a colleague", needs.len()),
        &[
            format!("Dear {name},\n\nThese are the needs posted to \u{201c}{round}\u{201d} that have no colleague yet. Each is a chance for a member of your staff to lead an improvement project in another school."),
            list,
            "To put someone forward, open the need and match a member of your own staff to it. Needs in your own school are matched by the other schools.".to_owned(),
        ],
        Some(("See the board", link)),
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_both_bodies_carry_the_link() {
        let m = invitation(
            "a@b.c",
            "Sam <b>",
            "Jo & co",
            "coach",
            Some("Oakfield"),
            "https://t.example/x?a=1&b=2",
            "1 January 2027",
        );
        assert!(m.text.contains("https://t.example/x?a=1&b=2"));
        assert!(m.html.contains("href=\"https://t.example/x?a=1&amp;b=2\""));
        assert!(m.html.contains("Sam &lt;b&gt;") && !m.html.contains("<b>"));
        assert!(!m.secret);
        assert!(password_reset("a@b.c", "Sam", "https://x", "10:00").secret);
    }
}
