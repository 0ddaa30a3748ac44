//! A member's role as the server's tables store it. The role itself, its tokens and its parser
//! are defined once in `quorum_shared`, for the app, the API and the command line alike.

pub use quorum_shared::model::Role;

pub(super) fn role_from_sql(value: String) -> rusqlite::Result<Role> {
    value
        .parse::<Role>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}
