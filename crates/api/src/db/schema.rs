//! The one diesel schema for both backends (see `migrations/`).

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        term_calendar -> Nullable<Text>,
    }
}

diesel::table! {
    hubs (id) {
        id -> Text,
        name -> Text,
        organisation_id -> Text,
        host_school_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    schools (id) {
        id -> Text,
        urn -> Text,
        name -> Text,
        phase -> Text,
        trust_id -> Nullable<Text>,
        hub_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        school_id -> Nullable<Text>,
        given_name -> Text,
        family_name -> Text,
        email -> Nullable<Text>,
        staff_role -> Text,
        mis_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        left_on -> Nullable<Date>,
        organisation_id -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        person_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deactivated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    auth_sessions (id) {
        id -> Text,
        user_id -> Text,
        role_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        session_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        client_id -> Text,
        secret_hash -> Text,
        name -> Text,
        scopes -> Text,
        trust_id -> Nullable<Text>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        secret_rotated_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        rate_limit_per_minute -> Nullable<Integer>,
    }
}

diesel::table! {
    client_usage_minutes (client_id, window_start) {
        client_id -> Text,
        window_start -> Timestamp,
        requests -> Integer,
    }
}

diesel::table! {
    client_usage_days (client_id, day) {
        client_id -> Text,
        day -> Date,
        requests -> Integer,
        refused -> Integer,
    }
}

diesel::table! {
    api_client_schools (client_id, school_id) {
        client_id -> Text,
        school_id -> Text,
    }
}

diesel::table! {
    programmes (id) {
        id -> Text,
        name -> Text,
        provider_id -> Text,
        definition -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        preset_key -> Nullable<Text>,
    }
}

diesel::table! {
    cohorts (id) {
        id -> Text,
        programme_id -> Text,
        name -> Text,
        induction_date -> Date,
        start_date -> Date,
        end_date -> Date,
        hub_id -> Nullable<Text>,
        host_school_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cohort_facilitators (cohort_id, person_id) {
        cohort_id -> Text,
        person_id -> Text,
    }
}

diesel::table! {
    enrolments (id) {
        id -> Text,
        cohort_id -> Text,
        person_id -> Text,
        status -> Text,
        deferred_from -> Nullable<Text>,
        withdrawal_reason -> Nullable<Text>,
        withdrawal_details -> Nullable<Text>,
        coach_person_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        coach_statement -> Nullable<Text>,
        left_school_on -> Nullable<Date>,
    }
}

diesel::table! {
    enrolment_events (id) {
        id -> Text,
        enrolment_id -> Text,
        transition -> Text,
        from_status -> Text,
        to_status -> Text,
        actor -> Text,
        created_at -> Timestamp,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    report_drafts (enrolment_id) {
        enrolment_id -> Text,
        body -> Text,
        words -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    learning_groups (id) {
        id -> Text,
        cohort_id -> Text,
        name -> Text,
        kind -> Text,
        facilitator_person_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    learning_group_members (group_id, enrolment_id) {
        group_id -> Text,
        enrolment_id -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        cohort_id -> Text,
        kind -> Text,
        title -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        venue_school_id -> Nullable<Text>,
        venue_text -> Nullable<Text>,
        facilitator_person_id -> Nullable<Text>,
        led_by_enrolment_id -> Nullable<Text>,
        audience -> Text,
        group_id -> Nullable<Text>,
        cancelled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    attendance (session_id, enrolment_id) {
        session_id -> Text,
        enrolment_id -> Text,
        status -> Text,
        half_days -> Nullable<Integer>,
        minutes -> Nullable<Integer>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    coaching_sessions (id) {
        id -> Text,
        enrolment_id -> Text,
        coach_person_id -> Text,
        held_on -> Date,
        minutes -> Integer,
        mode -> Text,
        focus -> Text,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendar_feeds (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        cohort_id -> Nullable<Text>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_roles (id) {
        id -> Text,
        user_id -> Text,
        role -> Text,
        organisation_id -> Nullable<Text>,
        school_id -> Nullable<Text>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        role -> Text,
        organisation_id -> Nullable<Text>,
        school_id -> Nullable<Text>,
        person_id -> Nullable<Text>,
        token_hash -> Text,
        invited_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        action -> Text,
        subject_kind -> Text,
        subject_id -> Text,
        organisation_id -> Nullable<Text>,
        school_id -> Nullable<Text>,
        detail -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        secret -> Bool,
        created_at -> Timestamp,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    outbox_attempts (id) {
        id -> Text,
        message_id -> Text,
        at -> Timestamp,
        node -> Text,
        outcome -> Text,
        detail -> Text,
    }
}

diesel::table! {
    projects (id) {
        id -> Text,
        cohort_id -> Text,
        title -> Text,
        focus_area -> Text,
        focus_detail -> Nullable<Text>,
        host_school_id -> Text,
        sponsor_person_id -> Nullable<Text>,
        tutor_person_id -> Nullable<Text>,
        starts_on -> Date,
        ends_on -> Date,
        worksheet -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    project_members (enrolment_id) {
        enrolment_id -> Text,
        project_id -> Text,
    }
}

diesel::table! {
    project_stages (project_id, stage) {
        project_id -> Text,
        stage -> Text,
        completed_on -> Date,
        account -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    project_actions (id) {
        id -> Text,
        project_id -> Text,
        taken_on -> Date,
        description -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    impact_measures (id) {
        id -> Text,
        project_id -> Text,
        name -> Text,
        unit -> Text,
        baseline -> Double,
        baseline_on -> Date,
        target -> Double,
        created_at -> Timestamp,
    }
}

diesel::table! {
    impact_readings (measure_id, taken_on) {
        measure_id -> Text,
        taken_on -> Date,
        value -> Double,
        note -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    project_presentations (id) {
        id -> Text,
        project_id -> Text,
        audience -> Text,
        presented_on -> Date,
        next_steps -> Nullable<Text>,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    portfolio_entries (id) {
        id -> Text,
        enrolment_id -> Text,
        kind -> Text,
        state -> Text,
        title -> Text,
        body -> Text,
        words -> BigInt,
        session_id -> Nullable<Text>,
        poster -> Nullable<Text>,
        shared -> Bool,
        submitted_at -> Nullable<Timestamp>,
        verified_at -> Nullable<Timestamp>,
        verified_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    portfolio_events (id) {
        id -> Text,
        entry_id -> Text,
        action -> Text,
        comment -> Nullable<Text>,
        by_user_id -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    evidence_files (id) {
        id -> Text,
        entry_id -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        kind -> Text,
        filename -> Text,
        uploaded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assessment_submissions (id) {
        id -> Text,
        enrolment_id -> Text,
        attempt -> Integer,
        project_id -> Text,
        report -> Text,
        words -> BigInt,
        status -> Text,
        submitted_on -> Date,
        submitted_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawal_reason -> Nullable<Text>,
        marker_user_id -> Nullable<Text>,
        moderator_user_id -> Nullable<Text>,
        outcome -> Nullable<Text>,
        resubmit_by -> Nullable<Date>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assessment_verifications (submission_id) {
        submission_id -> Text,
        statement -> Text,
        verified_on -> Date,
        verified_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    assessment_releases (submission_id) {
        submission_id -> Text,
        outcome -> Text,
        released_by -> Text,
        released_at -> Timestamp,
    }
}

diesel::table! {
    assessment_documents (submission_id, position) {
        submission_id -> Text,
        position -> Integer,
        filename -> Text,
        kind -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
    }
}

diesel::table! {
    assessment_judgements (id) {
        id -> Text,
        submission_id -> Text,
        kind -> Text,
        assessor_user_id -> Text,
        outcome -> Text,
        confirms -> Nullable<Bool>,
        criteria -> Text,
        feedback -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    assessment_outcomes (id) {
        id -> Text,
        enrolment_id -> Text,
        submission_id -> Text,
        state -> Text,
        completion_date -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    certificates (id) {
        id -> Text,
        code -> Text,
        enrolment_id -> Text,
        holder_name -> Text,
        programme_name -> Text,
        issuer_id -> Text,
        issuer_name -> Text,
        issued_on -> Date,
        issued_by -> Text,
        status_index -> Integer,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
        revocation_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    certificate_evidence (certificate_id, entry_id) {
        certificate_id -> Text,
        entry_id -> Text,
    }
}

diesel::table! {
    diagnostic_rounds (id) {
        id -> Text,
        enrolment_id -> Text,
        round -> Text,
        items -> Text,
        threshold -> Integer,
        closes_on -> Date,
        opened_by -> Nullable<Text>,
        opened_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        closed_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    diagnostic_raters (id) {
        id -> Text,
        round_id -> Text,
        rater_group -> Text,
        name -> Text,
        email -> Text,
        status -> Text,
        decline_reason -> Nullable<Text>,
        invited_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    diagnostic_links (token_hash) {
        token_hash -> Text,
        rater_id -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    diagnostic_drafts (rater_id) {
        rater_id -> Text,
        answers -> Text,
        saved_at -> Timestamp,
    }
}

diesel::table! {
    diagnostic_self_reviews (round_id) {
        round_id -> Text,
        answers -> Text,
        saved_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
    }
}

// Submitted answers: not in `allow_tables_to_appear_in_same_query!`, so no diesel query can put
// them beside the raters who gave them (the module's invariant; see `db/diagnostic.rs`).
diesel::table! {
    diagnostic_responses (id) {
        id -> Text,
        round_id -> Text,
        rater_group -> Text,
        answers -> Text,
    }
}

// Not in `allow_tables_to_appear_in_same_query!`: nothing joins a stored answer to anything.
diesel::table! {
    idempotency_keys (caller, key_hash) {
        caller -> Text,
        key_hash -> Text,
        fingerprint -> Text,
        status -> Nullable<Integer>,
        content_type -> Nullable<Text>,
        etag -> Nullable<Text>,
        location -> Nullable<Text>,
        body -> Nullable<Binary>,
        created_at -> Timestamp,
        locked_until -> Timestamp,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        client_id -> Text,
        url -> Text,
        description -> Text,
        events -> Text,
        secret -> Text,
        status -> Text,
        disabled_reason -> Nullable<Text>,
        consecutive_failures -> Integer,
        failing_since -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_events (id) {
        id -> Text,
        event_type -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        event_id -> Text,
        created_at -> Timestamp,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        at -> Timestamp,
        node -> Text,
        outcome -> Text,
        status_code -> Nullable<Integer>,
        detail -> Text,
        duration_ms -> Integer,
    }
}

diesel::table! {
    partnership_rounds (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        starts_on -> Date,
        ends_on -> Date,
        status -> Text,
        restart_on -> Nullable<Date>,
        postponement_reason -> Nullable<Text>,
        circulated_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partnership_round_schools (round_id, school_id) {
        round_id -> Text,
        school_id -> Text,
    }
}

diesel::table! {
    partnership_needs (id) {
        id -> Text,
        round_id -> Text,
        school_id -> Text,
        area -> Text,
        area_detail -> Nullable<Text>,
        title -> Text,
        description -> Text,
        starts_on -> Date,
        ends_on -> Date,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partnership_matches (need_id) {
        need_id -> Text,
        person_id -> Text,
        school_id -> Text,
        matched_by -> Text,
        matched_at -> Timestamp,
        findings -> Nullable<Text>,
        action_plan -> Nullable<Text>,
        presented_on -> Nullable<Date>,
        presented_to_governors -> Bool,
        reported_at -> Nullable<Timestamp>,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledged_by -> Nullable<Text>,
    }
}

diesel::table! {
    partnership_visits (id) {
        id -> Text,
        need_id -> Text,
        visited_on -> Date,
        data_collection -> Text,
        notes -> Text,
        logged_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    partnership_offers (round_id, person_id, area) {
        round_id -> Text,
        person_id -> Text,
        area -> Text,
    }
}

diesel::joinable!(attendance -> sessions (session_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(user_roles -> organisations (organisation_id));
diesel::joinable!(user_roles -> schools (school_id));
diesel::joinable!(auth_sessions -> user_roles (role_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(outbox_attempts -> outbox (message_id));
diesel::joinable!(calendar_feeds -> users (user_id));
diesel::joinable!(sessions -> cohorts (cohort_id));
diesel::joinable!(attendance -> enrolments (enrolment_id));
diesel::joinable!(learning_group_members -> learning_groups (group_id));
diesel::joinable!(learning_group_members -> enrolments (enrolment_id));
diesel::joinable!(coaching_sessions -> enrolments (enrolment_id));
diesel::joinable!(hubs -> organisations (organisation_id));
diesel::joinable!(report_drafts -> enrolments (enrolment_id));
diesel::joinable!(people -> schools (school_id));
diesel::joinable!(auth_sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> auth_sessions (session_id));
diesel::joinable!(api_client_schools -> api_clients (client_id));
diesel::joinable!(programmes -> organisations (provider_id));
diesel::joinable!(cohorts -> programmes (programme_id));
diesel::joinable!(cohort_facilitators -> cohorts (cohort_id));
diesel::joinable!(enrolments -> cohorts (cohort_id));
diesel::joinable!(enrolments -> people (person_id));
diesel::joinable!(enrolment_events -> enrolments (enrolment_id));

diesel::joinable!(projects -> cohorts (cohort_id));
diesel::joinable!(project_members -> projects (project_id));
diesel::joinable!(project_members -> enrolments (enrolment_id));
diesel::joinable!(project_stages -> projects (project_id));
diesel::joinable!(project_actions -> projects (project_id));
diesel::joinable!(impact_measures -> projects (project_id));
diesel::joinable!(impact_readings -> impact_measures (measure_id));
diesel::joinable!(project_presentations -> projects (project_id));
diesel::joinable!(portfolio_entries -> enrolments (enrolment_id));
diesel::joinable!(portfolio_entries -> sessions (session_id));
diesel::joinable!(evidence_files -> portfolio_entries (entry_id));
diesel::joinable!(portfolio_events -> users (by_user_id));
diesel::joinable!(project_actions -> users (recorded_by));

diesel::joinable!(assessment_submissions -> enrolments (enrolment_id));
diesel::joinable!(assessment_submissions -> projects (project_id));
diesel::joinable!(assessment_verifications -> assessment_submissions (submission_id));
diesel::joinable!(assessment_verifications -> users (verified_by));
diesel::joinable!(assessment_releases -> assessment_submissions (submission_id));
diesel::joinable!(assessment_documents -> assessment_submissions (submission_id));
diesel::joinable!(assessment_judgements -> assessment_submissions (submission_id));
diesel::joinable!(assessment_judgements -> users (assessor_user_id));
diesel::joinable!(assessment_outcomes -> enrolments (enrolment_id));
diesel::joinable!(assessment_outcomes -> assessment_submissions (submission_id));
diesel::joinable!(certificates -> enrolments (enrolment_id));
diesel::joinable!(certificates -> organisations (issuer_id));
diesel::joinable!(certificate_evidence -> certificates (certificate_id));
diesel::joinable!(diagnostic_rounds -> enrolments (enrolment_id));
diesel::joinable!(diagnostic_raters -> diagnostic_rounds (round_id));
diesel::joinable!(diagnostic_links -> diagnostic_raters (rater_id));
diesel::joinable!(webhook_subscriptions -> api_clients (client_id));
diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::joinable!(webhook_deliveries -> webhook_events (event_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(partnership_rounds -> organisations (organisation_id));
diesel::joinable!(partnership_round_schools -> partnership_rounds (round_id));
diesel::joinable!(partnership_round_schools -> schools (school_id));
diesel::joinable!(partnership_needs -> partnership_rounds (round_id));
diesel::joinable!(partnership_needs -> schools (school_id));
diesel::joinable!(partnership_matches -> partnership_needs (need_id));
diesel::joinable!(partnership_matches -> people (person_id));
diesel::joinable!(partnership_visits -> partnership_needs (need_id));

diesel::table! {
    expectation_themes (id) {
        id -> Text,
        organisation_id -> Text,
        position -> Integer,
        name -> Text,
        retired_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    expectation_statements (id) {
        id -> Text,
        theme_id -> Text,
        position -> Integer,
        text -> Text,
        retired_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    expectation_assessments (id) {
        id -> Text,
        school_id -> Text,
        term -> Text,
        side -> Text,
        submitted_at -> Nullable<Timestamp>,
        submitted_by -> Nullable<Text>,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    expectation_ratings (assessment_id, statement_id) {
        assessment_id -> Text,
        statement_id -> Text,
        rating -> Integer,
        evidence -> Text,
    }
}

diesel::table! {
    expectation_support (id) {
        id -> Text,
        school_id -> Text,
        term -> Text,
        what -> Text,
        provided_by -> Text,
        hours -> Double,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    expectation_support_reviews (support_id, term) {
        support_id -> Text,
        term -> Text,
        hours_used -> Double,
        impact -> Text,
        decision -> Text,
        reviewed_by -> Text,
        reviewed_at -> Timestamp,
    }
}

diesel::joinable!(expectation_statements -> expectation_themes (theme_id));
diesel::joinable!(expectation_ratings -> expectation_assessments (assessment_id));
diesel::joinable!(expectation_ratings -> expectation_statements (statement_id));
diesel::joinable!(expectation_support_reviews -> expectation_support (support_id));

diesel::table! {
    evaluation_interviews (id) {
        id -> Text,
        cohort_id -> Text,
        stage -> Text,
        role -> Text,
        school_id -> Text,
        interviewee -> Text,
        held_on -> Date,
        expected -> Text,
        impact -> Text,
        challenges -> Text,
        notes -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    evaluation_reports (cohort_id) {
        cohort_id -> Text,
        background -> Text,
        challenges -> Text,
        conclusion -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(evaluation_interviews -> schools (school_id));

diesel::table! {
    expectation_files (id) {
        id -> Text,
        assessment_id -> Text,
        statement_id -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        kind -> Text,
        filename -> Text,
        uploaded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(expectation_files -> expectation_assessments (assessment_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    expectation_files,
    evaluation_interviews,
    evaluation_reports,
    expectation_themes,
    expectation_statements,
    expectation_assessments,
    expectation_ratings,
    expectation_support,
    expectation_support_reviews,
    partnership_rounds,
    partnership_round_schools,
    partnership_needs,
    partnership_matches,
    partnership_visits,
    partnership_offers,
    hubs,
    schools,
    people,
    users,
    auth_sessions,
    refresh_tokens,
    api_clients,
    api_client_schools,
    webhook_subscriptions,
    webhook_events,
    webhook_deliveries,
    webhook_attempts,
    programmes,
    cohorts,
    cohort_facilitators,
    enrolments,
    enrolment_events,
    report_drafts,
    learning_groups,
    learning_group_members,
    sessions,
    attendance,
    coaching_sessions,
    calendar_feeds,
    user_roles,
    invitations,
    password_resets,
    audit_events,
    outbox,
    outbox_attempts,
    projects,
    project_members,
    project_stages,
    project_actions,
    impact_measures,
    impact_readings,
    project_presentations,
    portfolio_entries,
    portfolio_events,
    evidence_files,
    assessment_submissions,
    assessment_verifications,
    assessment_releases,
    assessment_documents,
    assessment_judgements,
    assessment_outcomes,
    certificates,
    certificate_evidence,
    diagnostic_rounds,
    diagnostic_raters,
    diagnostic_links,
    diagnostic_drafts,
    diagnostic_self_reviews,
);
