//! Organisations and schools.

crate::wire_enum! {
    /// What kind of body an organisation is.
    pub enum OrganisationKind {
        Trust => "trust",
        Alliance => "alliance",
        LocalAuthority => "local_authority",
        Provider => "provider",
    }
}

crate::wire_enum! {
    /// A school's phase of education, as Get Information About Schools groups them.
    pub enum SchoolPhase {
        Nursery => "nursery",
        Primary => "primary",
        Secondary => "secondary",
        AllThrough => "all_through",
        Special => "special",
        AlternativeProvision => "alternative_provision",
    }
}
