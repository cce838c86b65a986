"""Schemathesis hooks for Trellis (loaded by tools/contract-test.sh through SCHEMATHESIS_HOOKS).

`positive_data_acceptance` fails a schema-valid request that is refused. A schema cannot say that
a referenced id must exist or that a session must end after it starts, so such refusals are
allowed here, and only when the problem's `code` (or, for `validation_failed`, every field's
`code`) is one of the SEMANTIC codes below. Any other refusal of a schema-valid request — a
length, a pattern, a format the document does not declare — still fails the run.
"""

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

SEMANTIC = {
    # A referenced object does not exist, or is not visible to the caller.
    "unknown_person", "unknown_reference", "unknown_school", "unknown_hub", "unknown_programme",
    "unknown_organisation", "unknown_preset", "unknown_cohort", "not_in_cohort",
    # Rules between fields or against stored state.
    "end_before_start", "ends_before_start", "unknown_session_kind", "duplicate", "invalid_days",
    "details_required", "already_enrolled", "definition_required", "invalid_scope", "preset_and_definition",
    "not_a_coach", "unknown_trust", "unknown_role", "context_does_not_fit_role", "person_of_another_school",
    "client_needs_a_context", "enrolment_not_active", "not_a_member",
    # A programme definition's parts that contradict each other.
    "no_threshold", "mode_not_offered", "empty", "unreachable", "exceeds_count", "window_reversed",
    "no_assessment", "hub_of_another_trust",
    # Client credentials may come in the form or as HTTP Basic: the schema cannot require one of the two.
    "invalid_request",
    # A calendar date or local time that the pattern admits but the calendar does not (30 February,
    # the hour the clocks skip).
    "invalid_time", "nonexistent_local_time",
    # A OneRoster filter's instant that the pattern admits but the calendar does not (a 31 April).
    "invalid_filter",
    # An Idempotency-Key the fuzzer sent before with another request (keys are any visible text).
    "idempotency_key_reused",
    # A cursor this API did not issue (any URL-safe text matches the pattern).
    "invalid_cursor",
    # An If-Match naming a version that is not the current one (any text is a valid entity tag).
    "stale_write",
    # Projects: the programme's rules, the people a project names, dates against the project and today.
    "project_too_short", "team_size_not_allowed", "host_school_mismatch", "sponsor_not_at_host_school",
    "not_a_facilitator", "stage_not_in_programme", "stage_out_of_order", "stage_before_project", "in_future",
    "target_is_baseline", "reading_before_baseline", "presentation_before_project", "no_project_in_programme",
    "already_on_a_project", "too_many_measures", "required",
    # Portfolio entries: their state, what a submission needs, what an entry of a kind holds.
    "session_not_attended", "not_for_this_kind", "entry_incomplete", "entry_locked", "illegal_move",
    "entry_changed", "too_many_files", "blank",
    # The 360 diagnostic: dates against today, the programme's rounds, groups and items, what a
    # round needs before it closes, who is already nominated.
    "closes_on_out_of_range", "round_not_in_programme", "self_review_missing", "raters_too_few",
    "unanswered_items", "group_not_in_programme", "self_not_a_rater", "duplicate_rater", "unknown_item",
    "duplicate_item",
    # Evidence files: told by their bytes, which no schema describes.
    "unsupported_file_type", "invalid_multipart", "file_empty",
    # Webhooks: an address the pattern admits but that is not public https, an event type twice or
    # outside the client's scopes, a replay of a delivery still waiting.
    "webhook_url_refused", "duplicate_event_type", "event_outside_scope", "delivery_pending",
    # Partnerships: a school or person not of the round, a need's detail its area asks for, dates
    # against today and the visits, the state of the round and the match; coordinates come in pairs.
    "school_not_in_round", "not_staff_of_school", "area_detail_required", "invalid_time_frame", "restart_in_past",
    "presented_before_visit", "data_collection_required", "same_school_match", "invalid_coordinates",
    # Trust expectations: ids that are not the framework's, a term still to come, names and statements
    # twice, a submission before everything is rated, hours that are not half hours, review terms.
    "unknown_theme", "unknown_statement", "term_not_started", "duplicate_theme", "duplicate_statement",
    "assessment_incomplete", "not_rated", "rated_twice", "invalid_hours", "review_term_out_of_range",
    "rating_out_of_range",
    # Evaluation: an interview at a school with no one in the cohort, or dated before the cohort.
    "school_not_in_cohort", "before_programme",
}


def _codes(response):
    if not response.headers.get("content-type", [""])[0].startswith("application/problem+json"):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if body.get("code") in ("validation_failed", "invalid_definition"):
        return {e.get("code") for e in body.get("errors", [])} or {"validation_failed"}
    return {body.get("code")}


@schemathesis.check
def schema_valid_data_is_accepted_or_refused_on_semantics(ctx, response, case):
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        codes = _codes(response)
        if codes and 400 <= response.status_code < 500 and codes <= SEMANTIC:
            return None
        print(f"refused schema-valid data with {response.status_code} {sorted(map(str, codes or []))}")
        raise
