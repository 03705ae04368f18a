from itdeclare.cli import main

raise SystemExit(main())
