//! The Python venv with pyzmq, made on first use under the workspace's target dir.
//!
//! `<target>/pyzmq-venv` is created with `python3 -m venv` and gets
//! `pip install pyzmq==`[`PYZMQ_VERSION`] (its manylinux wheel bundles libzmq 4.3.5 built
//! with libsodium, so CURVE works). Several test processes may start at once: the setup
//! runs under an exclusive lock on `<target>/pyzmq-venv.lock`, and a marker file written
//! after a successful install and check lets everyone else reuse the venv without
//! starting Python. A venv without the marker (an interrupted install) is made anew.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The pinned pyzmq release (its wheels bundle libzmq 4.3.5 with CURVE).
pub const PYZMQ_VERSION: &str = "27.1.0";

/// The libzmq version that wheel bundles (checked after install).
pub const LIBZMQ_VERSION: &str = "4.3.5";

/// Environment variable naming the Python used to create the venv (default `python3`).
pub const PYTHON_ENV: &str = "ZMTP_PYTHON";

const MARKER: &str = "zmtp-pyzmq-ready";

/// The peer script, `interop-tests/py/peer.py`.
pub fn peer_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("py")
        .join("peer.py")
}

/// The cargo target directory: `CARGO_TARGET_DIR` when set and absolute, else the
/// ancestor of this test binary that cargo marked with `CACHEDIR.TAG` (covers a relative
/// `CARGO_TARGET_DIR` and `--target` layouts), else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from)
        && dir.is_absolute()
    {
        return dir;
    }
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe
            .ancestors()
            .skip(1)
            .find(|d| d.join("CACHEDIR.TAG").is_file())
    {
        return dir.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("interop-tests lives inside the workspace")
        .join("target")
}

/// The venv directory, `<target>/pyzmq-venv`.
pub fn venv_dir() -> PathBuf {
    target_dir().join("pyzmq-venv")
}

/// The venv's Python, setting the venv up first if needed. Done once per process; a
/// failure panics with what failed and how to fix it, in every test that asks (without
/// trying again).
pub fn venv_python() -> &'static Path {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PYTHON.get_or_init(|| ensure_venv(&venv_dir())) {
        Ok(python) => python,
        Err(why) => panic!("pyzmq setup: {why}"),
    }
}

fn python_in(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

fn is_ready(venv: &Path) -> bool {
    python_in(venv).exists()
        && fs::read_to_string(venv.join(MARKER))
            .is_ok_and(|m| m.lines().next() == Some(&format!("pyzmq {PYZMQ_VERSION}")))
}

fn ensure_venv(venv: &Path) -> Result<PathBuf, String> {
    let python = python_in(venv);
    if is_ready(venv) {
        return Ok(python);
    }
    let parent = venv.parent().expect("venv has a parent");
    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let lock_path = parent.join("pyzmq-venv.lock");
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    // Another process may have finished the install while we waited.
    if !is_ready(venv) {
        install(venv)?;
    }
    drop(lock);
    Ok(python)
}

fn install(venv: &Path) -> Result<(), String> {
    let base = std::env::var(PYTHON_ENV).unwrap_or_else(|_| "python3".to_string());
    if venv.exists() {
        fs::remove_dir_all(venv)
            .map_err(|e| format!("cannot remove the unfinished venv {}: {e}", venv.display()))?;
    }
    run(
        Command::new(&base).arg("-m").arg("venv").arg(venv),
        &format!(
            "`{base} -m venv` failed. The pyzmq interop tests need Python 3 with the venv \
             module (Debian: `apt-get install python3 python3-venv`; or point {PYTHON_ENV} \
             at another python3)"
        ),
    )?;
    let python = python_in(venv);
    let spec = format!("pyzmq=={PYZMQ_VERSION}");
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
            ])
            .args(["--only-binary=:all:", &spec])
            .env("PIP_REQUIRE_VIRTUALENV", "1"),
        &format!(
            "`pip install {spec}` into {} failed. It needs PyPI to be reachable and a \
             manylinux wheel of pyzmq for this Python; fix that and run the tests again \
             (the unfinished venv is made anew)",
            venv.display()
        ),
    )?;
    let check = run(
        Command::new(&python).args([
            "-c",
            "import zmq; print(zmq.pyzmq_version(), zmq.zmq_version(), zmq.has('curve'))",
        ]),
        "the installed pyzmq does not import",
    )?;
    let check = String::from_utf8_lossy(&check.stdout).trim().to_string();
    let fields: Vec<&str> = check.split_whitespace().collect();
    if fields != [PYZMQ_VERSION, LIBZMQ_VERSION, "True"] {
        return Err(format!(
            "expected pyzmq {PYZMQ_VERSION} with libzmq {LIBZMQ_VERSION} and CURVE, got \
             `{check}` (pyzmq version, libzmq version, has curve) in {}",
            venv.display()
        ));
    }
    let marker = format!(
        "pyzmq {PYZMQ_VERSION}\nlibzmq {}\ncurve {}\n",
        fields[1], fields[2]
    );
    let tmp = venv.join(format!("{MARKER}.tmp"));
    fs::write(&tmp, marker)
        .and_then(|()| fs::rename(&tmp, venv.join(MARKER)))
        .map_err(|e| format!("cannot write the marker in {}: {e}", venv.display()))
}

/// Runs `cmd`; when it fails, says `what`, the command and its output.
fn run(cmd: &mut Command, what: &str) -> Result<Output, String> {
    let shown = format!("{cmd:?}");
    match cmd.output() {
        Err(e) => Err(format!("{what}.\ncommand: {shown}\nerror: {e}")),
        Ok(out) if !out.status.success() => Err(format!(
            "{what}.\ncommand: {shown}\nstatus: {}\nstdout:\n{}\nstderr:\n{}",
            out.status,
            tail(&out.stdout),
            tail(&out.stderr)
        )),
        Ok(out) => Ok(out),
    }
}

fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
