//! Programmes: their definitions and the presets.

use super::*;

page!(ProgrammePage, Programme);

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Programme {
    pub id: Uuid,
    pub name: String,
    /// The provider organisation that runs it.
    pub provider_id: Uuid,
    /// The preset it was created from, if any.
    pub preset_key: Option<String>,
    /// The programme's rules as data.
    pub definition: Definition,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "validate", derive(Validate))]
#[serde(deny_unknown_fields)]
pub struct CreateProgramme {
    #[cfg_attr(feature = "validate", validate(length(max = 200), custom(function = "checks::name")))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff][^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        )
    )]
    #[cfg_attr(feature = "openapi", schema(example = "NPQ for Middle Leadership"))]
    pub name: String,
    pub provider_id: Uuid,
    /// A preset key from `/programme-presets`; give this or `definition`, not both.
    #[cfg_attr(feature = "openapi", schema(example = "npq-middle-leadership"))]
    pub preset: Option<String>,
    /// A full definition (see the `Definition` schema); give this or `preset`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Definition>))]
    #[serde(default)]
    pub definition: Option<serde_json::Value>,
}

/// The built-in programme definitions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PresetList {
    pub items: Vec<Preset>,
}
