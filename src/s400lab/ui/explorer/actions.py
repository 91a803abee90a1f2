"""Save, Load and Export brief: the files bar's actions (a mix-in of the explorer panel).

Each action reports one line in the files bar's status (never a traceback) and changes
nothing when it fails. A scenario file is read only by
:func:`s400lab.model.scenario_io.load_scenario` (validated value by value); the brief is
what the screen shows (:func:`s400lab.reporting.brief.brief_from_state`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from s400lab.ui.explorer.state import BASELINE_ID

__all__ = ["FileActions"]


class FileActions:
    """``save``, ``load``, ``export_brief``, ``brief_html`` and ``scenario_document`` for a
    panel with ``state``, ``files``, ``save_dir``, ``_say`` and ``_choose``."""

    state: Any
    files: Any
    save_dir: Path
    last_error: str | None

    def _say(self, text: str, error: bool = False) -> None:  # pragma: no cover - the panel's
        raise NotImplementedError

    def _choose(self, preset_id: str, values: Any = None) -> None:  # pragma: no cover
        raise NotImplementedError

    def _file_path(self) -> Path:
        return self.files.path(self.save_dir)

    def scenario_document(self) -> dict[str, Any]:
        """The scenario file's content for the current values (name, preset, values)."""
        from s400lab.model.scenario_io import scenario_to_dict

        return scenario_to_dict(
            self.state.scenario, name=self.files.scenario_name.value.strip(), preset=self.state.preset_id
        )

    def save(self) -> Path | None:
        """Save the current scenario to the file named in ``save_dir``; report beside the
        buttons and offer the file as a download."""
        from s400lab.model.scenario_io import save_scenario

        try:
            path = self._file_path()
            save_scenario(
                self.state.scenario,
                path,
                name=self.files.scenario_name.value.strip(),
                overwrite=self.files.overwrite.value,
                preset=self.state.preset_id,
            )
            self.files.offer(path.read_bytes(), path.name, "application/json", "Download the file")
        except (ValueError, OSError) as exc:  # InputError is a ValueError: one line, no traceback
            self._say(f"Not saved: {exc}", error=True)
            return None
        self._say(f"Saved to {path.name} in the scenario folder.")
        return path

    def brief_html(self) -> str:
        """The two-page brief of what the explorer shows: the same scenario, draws, seed and
        held switches as the live ensemble, the preset it was edited from, the typed name."""
        from s400lab.reporting.brief import brief_from_state

        st = self.state
        return brief_from_state(
            st.scenario,
            n_draws=st.live_engine.n,
            seed=st.live_engine.seed,
            held=st.held,
            preset=st.preset_id,
            name=self.files.scenario_name.value.strip(),
        )

    def export_brief(self) -> Path | None:
        """Make the two-page HTML brief of the current scenario: offered as a download in the
        browser, and written next to the scenario file (replaced only when *overwrite* is
        ticked). Reports beside the buttons."""
        self._say("Writing the brief (runs an ensemble)...")
        overwrite = self.files.overwrite.value
        try:
            path = self._file_path().with_suffix(".html")
            text = self.brief_html()
        except (ValueError, KeyError, OSError) as exc:
            self._say(f"Brief not made: {exc}", error=True)
            return None
        self.files.offer(text.encode("utf-8"), path.name, "text/html", "Download the brief")
        if path.exists() and not overwrite:
            self._say(
                f"{path.name} already exists in the scenario folder; not overwritten "
                "(tick overwrite). The brief is offered as a download.",
                error=True,
            )
            return None
        try:
            from s400lab._files import write_new_file

            write_new_file(
                path, lambda fh: fh.write(text), overwrite=overwrite, hint="tick overwrite to replace it"
            )
        except (ValueError, OSError) as exc:
            self._say(f"Brief not written to the folder: {exc}", error=True)
            return None
        self._say(f"Brief ready: {path.name} (download it, open it in a browser, print A4/Letter).")
        return path

    def load(self) -> bool:
        """Load the file named from ``save_dir``; on any problem nothing changes."""
        from s400lab.model.scenario_io import load_scenario

        try:
            path = self._file_path()
            loaded = load_scenario(path)  # only a regular file under the size limit is read
        except (ValueError, OSError) as exc:  # InputError is a ValueError: one line, no traceback
            self._say(f"Not loaded: {exc}", error=True)
            return False
        preset = loaded.preset if loaded.preset in self.state.presets else BASELINE_ID
        self.files.scenario_name.value = loaded.name
        self._choose(preset, loaded.scenario.values)
        if self.last_error is None:
            self._say(f"Loaded {loaded.name or path.name!r} from {path.name}.")
        return self.last_error is None
