from hotwash.cli import console

console()
