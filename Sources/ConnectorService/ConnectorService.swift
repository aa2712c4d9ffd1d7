// The ConnectorService module; its code arrives with its issue (see DESIGN.md §2).
