"""Evidence on disk: a folder, a zip file or one file, opened as a core ``Archive``.

Members are listed with ``/`` separators and read one at a time, so an importer never holds
more than one member in memory. Zip members that would escape the archive (absolute paths,
``..`` parts, drive letters) are refused before anything is read.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path, PurePosixPath

from .core.errors import PackError

_MAX_MEMBER = 512 * 1024 * 1024


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return (
        path.is_absolute()
        or ".." in path.parts
        or (len(name) > 1 and name[1] == ":")
        or name.startswith("/")
    )


class FolderArchive:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = str(root)
        self._base = os.fspath(root)

    def names(self) -> list[str]:
        out: list[str] = []
        for folder, dirs, files in os.walk(self._base):
            dirs.sort()
            rel = os.path.relpath(folder, self._base)
            prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
            out.extend(prefix + f for f in files)
        return sorted(out)

    def read(self, name: str) -> bytes:
        try:
            with open(os.path.join(self._base, name), "rb") as f:
                return f.read()
        except OSError as exc:
            raise PackError(f"cannot read: {exc.strerror}", path=f"{self.label}/{name}") from None


class ZipArchive:
    def __init__(self, path: Path) -> None:
        self.label = str(path)
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise PackError(f"not a readable zip file ({exc})", path=str(path)) from None
        for info in infos:
            if _unsafe(info.filename):
                raise PackError(
                    f"zip member '{info.filename}' points outside the archive; "
                    "refusing to read this file",
                    path=str(path),
                )
        self._names = sorted(i.filename for i in infos if not i.is_dir())

    def names(self) -> list[str]:
        return list(self._names)

    def read(self, name: str) -> bytes:
        try:
            info = self._zip.getinfo(name)
            if info.file_size > _MAX_MEMBER:
                raise PackError("member is larger than 512 MiB", path=f"{self.label}/{name}")
            return self._zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as exc:
            where = f"{self.label}/{name}"
            raise PackError(f"cannot read zip member ({exc})", path=where) from None


class FileArchive:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = str(path)

    def names(self) -> list[str]:
        return [self.path.name]

    def read(self, name: str) -> bytes:
        from .files import read_bytes

        return read_bytes(self.path)


def open_archive(path: Path) -> FolderArchive | ZipArchive | FileArchive:
    """The right archive for what is at ``path``; an error naming it if there is nothing."""
    if path.is_dir():
        return FolderArchive(path)
    if not path.exists():
        raise PackError("no such file or folder", path=str(path))
    if zipfile.is_zipfile(path):
        return ZipArchive(path)
    return FileArchive(path)
