//! Directory: organisations (providers, trusts, local authorities), their hubs, schools and people.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod hubs;
pub mod organisations;
pub mod people;
pub mod schools;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(organisations::list_organisations)
        .service(organisations::create_organisation)
        .service(organisations::get_organisation)
        .service(organisations::update_term_calendar)
        .service(hubs::list_hubs)
        .service(hubs::create_hub)
        .service(schools::list_schools)
        .service(schools::create_school)
        .service(schools::get_school)
        .service(people::list_people)
        .service(people::create_person)
        .service(people::get_person)
        .service(people::update_person)
        .service(people::leave_person)
        .service(people::move_person);
}
