// Package fetch downloads the public data sets the toolkit trains and is scored
// on — UD English EWT, the SST files, the Brown corpus — from their canonical
// addresses into a folder, resumably and checked.
//
// Each file is downloaded to a ".part" file that a later call resumes with an
// HTTP Range request (a server that ignores the range restarts it), checked
// against its pinned SHA-256, and only then moved into place
// (internal/fileutil.Commit: synced, renamed, directory synced). A checksum
// mismatch deletes the partial file and leaves no final file; a file already in
// place with the right checksum is skipped. A zip archive (Brown) is extracted
// and replaced by a small marker that records its checksum.
//
// Datasets lists what can be fetched and Lookup finds one by name; Fetch does
// the work, with progress on the writer given by WithProgress. It is the only
// package of the toolkit that uses the network, which is why it is apart from
// datasets, whose readers and corpus builders never do.
package fetch
