from cgtpaths.cli import main

main()
