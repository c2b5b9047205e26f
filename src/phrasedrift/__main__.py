from phrasedrift import cli

raise SystemExit(cli.main())
