from hotwash.cli import main

raise SystemExit(main())
