//! The corpus: finding its files (`load`), what they hold as written (`raw`), checking them
//! (`validate`) and the validated result (`model`).

pub mod contradictions;
pub mod fuzzing;
pub mod load;
pub mod model;
pub mod people;
pub mod raw;
pub mod texts;
pub mod validate;

pub use load::{LoadOptions, Loaded, load};
pub use model::{
    Claim, ClaimTexts, Coder, Corpus, FileTexts, Person, PersonLookup, Reading, Scene, Source,
    SourceKind, Stance, Work,
};
