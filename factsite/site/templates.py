"""The Jinja environment of a project's templates, and template failures mapped to template lines."""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from pathlib import Path
from typing import Any

import jinja2

from ..core import sealed, urls
from ..core.errors import Location, Problems
from ..core.names import TEMPLATE_CACHE_DIR, TEMPLATES_DIR, THEME_DIR
from ..core.nodes import outside_project


@functools.lru_cache(maxsize=4096)  # pages show the same few dates again and again; strftime is slow
def format_date(value: dt.date | str | None) -> str:
    """Return a date for readers: 7 November 2019, November 2019 or 2019."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    parts = value.split("-")
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
    return value


def iso_date(value: dt.date | str) -> str:
    """Return a date (or a partial date, kept as written) in ISO 8601."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


class OutsideProject(jinja2.TemplateError):
    """A template of the project's templates/ is a symbolic link out of the project: it is not read."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{TEMPLATES_DIR}/{name} links out of the project")
        self.name = name


class _ProjectLoader(jinja2.FileSystemLoader):
    """The project's templates/: a template that is a symbolic link out of the project is refused, not read."""

    def __init__(self, root: Path) -> None:
        super().__init__(root / TEMPLATES_DIR)
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        path = self.root / TEMPLATES_DIR / template
        if path.is_file() and outside_project(path, self.root):
            raise OutsideProject(template)
        return super().get_source(environment, template)


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in the project's .factsite/cache/templates/, sealed like every cache of a
    build: compiled code is code, so a file sealed by anyone but this user is never loaded."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = sealed.load(self.folder / f"{bucket.key}.cache")
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)  # Jinja2 drops it if the source or Python changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        sealed.store(self.folder / f"{bucket.key}.cache", bucket.bytecode_to_string())


def make_environment(root: Path, *, compiled: bool = False) -> jinja2.Environment:
    """Return the Jinja environment: autoescaping everywhere, undefined names are errors.

    A template in the project's templates/ replaces the built-in theme's template of the same name.
    `compiled`: keep compiled templates in the project's cache, and load them from there.
    """
    env = jinja2.Environment(
        bytecode_cache=SealedBytecodeCache(root / TEMPLATE_CACHE_DIR) if compiled else None,
        loader=jinja2.ChoiceLoader([_ProjectLoader(root),
                                    jinja2.FileSystemLoader(THEME_DIR / TEMPLATES_DIR)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["urls"] = urls
    env.filters["date"] = format_date
    env.filters["isodate"] = iso_date
    return env


class Templates:
    """Render templates, recording each failure as a problem at the template line it came from."""

    def __init__(self, root: Path, env: jinja2.Environment, problems: Problems) -> None:
        self.root, self.env, self.problems = root, env, problems

    def render(self, name: str, values: dict[str, Any]) -> str | None:
        """Return the rendered template, or None after recording why it failed."""
        try:
            return self.env.get_template(name).render(values)
        except jinja2.TemplateSyntaxError as exc:
            where = Location(self._shown(exc.filename) or f"{TEMPLATES_DIR}/{exc.name or name}", exc.lineno or 0)
            self.problems.error(where, f"template syntax error: {exc.message}", "Fix the template tag.")
        except OutsideProject as exc:
            self.problems.error(Location(f"{TEMPLATES_DIR}/{exc.name}"), "symbolic link to a file outside the project, "
                                "or to a hidden one", f"Copy the template into {TEMPLATES_DIR}/ instead: a build "
                                "publishes only the project's own files.")
        except jinja2.TemplateNotFound as exc:
            self.problems.error(self._location(exc, name),
                                f"template '{exc.name}' is neither in {TEMPLATES_DIR}/ nor in the built-in theme",
                                "Check the name in the {% extends %}, {% include %} or {% import %} that asks "
                                f"for it, or add {TEMPLATES_DIR}/{exc.name}.")
        except Exception as exc:  # noqa: BLE001 - any template failure is the user's to fix
            self.problems.error(self._location(exc, name), f"template error: {exc}",
                                "Check the names the template uses against the README's list of what templates get.")
        return None

    def macro(self, template: str, name: str) -> Any:
        """Return a macro of a template, to call from Python."""
        return getattr(self.env.get_template(template).module, name)

    def _location(self, exc: BaseException, name: str) -> Location:
        """Find the template line a rendering error came from."""
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            shown = self._shown(frame.filename)
            if shown:
                return Location(shown, frame.lineno or 0)
        return Location(f"{TEMPLATES_DIR}/{name}")

    def _shown(self, filename: str | None) -> str | None:
        """Return how problems name a template file: relative to the project, or the theme's full path."""
        if not filename:
            return None
        path = Path(filename).resolve()
        if path.is_relative_to((self.root / TEMPLATES_DIR).resolve()):
            return path.relative_to(self.root.resolve()).as_posix()
        if path.is_relative_to(THEME_DIR / TEMPLATES_DIR):
            return path.as_posix()
        return None
