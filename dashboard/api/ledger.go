package api

import "jinwei/warehouse"

// LedgerItem is a rectification item as of a day (warehouse.LedgerItem).
type LedgerItem struct {
	ItemID          string  `json:"item_id"`
	Source          string  `json:"source"`
	RegionCode      string  `json:"region_code"`
	Category        string  `json:"category"`
	Title           string  `json:"title"`
	ResponsibleUnit string  `json:"responsible_unit"`
	FoundDate       string  `json:"found_date"`
	Deadline        string  `json:"deadline"`
	Status          string  `json:"status"`
	Progress        float64 `json:"progress"`
	LastReport      string  `json:"last_report"`
	Overdue         bool    `json:"overdue"`
	Generated       bool    `json:"generated"`
	Unit            string  `json:"unit"`
	RunID           string  `json:"run_id"`
}

// LedgerItems are items' JSON shapes.
func LedgerItems(in []warehouse.LedgerItem) []LedgerItem {
	return each(in, func(it warehouse.LedgerItem) LedgerItem { return LedgerItem(it) })
}

// StatusEvent is one reported status of a ledger item (warehouse.StatusEvent).
type StatusEvent struct {
	Date     string  `json:"date"`
	Status   string  `json:"status"`
	Progress float64 `json:"progress"`
	Note     string  `json:"note"`
	By       string  `json:"by"`
	At       string  `json:"at"`
	RunID    string  `json:"run_id,omitempty"`
}

// StatusEvents are events' JSON shapes.
func StatusEvents(in []warehouse.StatusEvent) []StatusEvent {
	return each(in, func(e warehouse.StatusEvent) StatusEvent { return StatusEvent(e) })
}

// Attachment is a file of evidence of a progress step (warehouse.Attachment), without its
// bytes.
type Attachment struct {
	ID          string `json:"id"`
	ItemID      string `json:"item_id"`
	EventAt     string `json:"event_at"`
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	SHA256      string `json:"sha256"`
	UploadedBy  string `json:"uploaded_by"`
}

// Attachments are attachments' JSON shapes.
func Attachments(in []warehouse.Attachment) []Attachment {
	return each(in, func(a warehouse.Attachment) Attachment {
		return Attachment{ID: a.ID, ItemID: a.ItemID, EventAt: a.EventAt, FileName: a.FileName, ContentType: a.ContentType,
			Size: a.Size, SHA256: a.SHA256, UploadedBy: a.UploadedBy}
	})
}
