//! The one way the end-to-end tests wait for something: look again every [`POLL`] until a check
//! says it holds, or fail after a timeout with an error that names what was awaited and, when the
//! check noted it, what was there instead.
//!
//! ```no_run
//! # async fn run(browser: &quorum_tests::Browser) -> anyhow::Result<()> {
//! use fantoccini::Locator;
//! use quorum_tests::{wait::wait_until, workspace::WAIT};
//!
//! let rows = wait_until("three risks listed", WAIT, async |seen| {
//!     let rows = browser.client.find_all(Locator::Css("li.risk")).await?;
//!     *seen = format!("{} listed", rows.len());
//!     Ok((rows.len() == 3).then_some(rows))
//! })
//! .await?;
//! # Ok(()) }
//! ```

use std::time::{Duration, Instant};

/// How long to leave the page (or the server) alone between two looks: short against the
/// tests' waits, long enough not to keep chromedriver busy answering.
pub const POLL: Duration = Duration::from_millis(100);

/// Runs `check` until it returns `Some`, and returns what it held, looking again every [`POLL`].
/// An error from `check` ends the wait at once. After `timeout` the wait fails with an error that
/// names `what` it waited for and, if the check wrote one into its argument, what it saw last.
pub async fn wait_until<T>(
    what: &str,
    timeout: Duration,
    mut check: impl AsyncFnMut(&mut String) -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let deadline = Instant::now() + timeout;
    let mut seen = String::new();
    loop {
        if let Some(value) = check(&mut seen).await? {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            let seen = if seen.is_empty() { String::new() } else { format!("; found {seen}") };
            anyhow::bail!("waited {} s for {what}{seen}", timeout.as_secs_f32());
        }
        tokio::time::sleep(POLL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn returns_what_the_check_found_once_it_holds() -> anyhow::Result<()> {
        let mut looks = 0;
        let found = wait_until("the third look", Duration::from_secs(5), async |_| {
            looks += 1;
            Ok((looks == 3).then_some(looks * 10))
        })
        .await?;
        assert_eq!((found, looks), (30, 3));
        Ok(())
    }

    #[tokio::test]
    async fn times_out_naming_what_it_waited_for_and_what_it_saw_last() {
        let mut looks = 0;
        let error = wait_until("the risk to show", Duration::from_millis(250), async |seen| {
            looks += 1;
            *seen = format!("{looks} looks");
            Ok(None::<()>)
        })
        .await
        .expect_err("the check never holds");
        assert_eq!(error.to_string(), format!("waited 0.25 s for the risk to show; found {looks} looks"));
        assert!(looks >= 3, "it looked again every {POLL:?} until the deadline: {looks}");
    }

    #[tokio::test]
    async fn an_error_from_the_check_ends_the_wait_at_once() {
        let started = Instant::now();
        let error = wait_until("anything", Duration::from_secs(5), async |_| -> anyhow::Result<Option<()>> {
            anyhow::bail!("the page is gone")
        })
        .await
        .expect_err("the check fails");
        assert_eq!(error.to_string(), "the page is gone");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
