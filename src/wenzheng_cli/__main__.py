from wenzheng_cli.entry import main

main()
