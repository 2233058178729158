from wenzheng_cli.cli.app import main

main()
