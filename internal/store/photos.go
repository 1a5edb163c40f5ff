package store

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Client photos (issue 6 item 4; migration 0021). One photo per client,
// stored in the database (client_photos), never as a file. An upload is
// checked by its bytes, not by what the browser calls it: JPEG or PNG
// only (http.DetectContentType and the matching decoder), at most
// MaxClientPhotoBytes, at most MaxClientPhotoPixels a side and
// MaxClientPhotoArea pixels, read from the header before decoding the pixels (a small file can announce a huge image); then it
// is decoded and re-encoded by Hearth (scaled down to ClientPhotoSide
// pixels on its long side), so what is stored and served is an image
// Hearth wrote: no camera metadata (a location), no trailing bytes, no
// polyglot. Who may see it: users who see the client and hold the photo
// permission (access.PIIPhoto); each view is audited ("photo.view").
// Changing it needs the right to change the client (access.Editable);
// audited ("photo.update", "photo.delete").

const (
	// MaxClientPhotoBytes is the largest upload.
	MaxClientPhotoBytes = 5 << 20
	// MaxClientPhotoPixels is the largest width or height accepted.
	MaxClientPhotoPixels = 8000
	// MaxClientPhotoArea is the most pixels accepted (40 megapixels: a
	// decoded PNG of that size takes 160 MB while it is scaled down).
	MaxClientPhotoArea = 40_000_000
	// ClientPhotoSide is the long side of a stored photo, at most.
	ClientPhotoSide = 600
)

// ClientPhoto is a stored photo.
type ClientPhoto struct {
	ContentType   string // image/jpeg or image/png
	Data          []byte
	Width, Height int
}

func photoInvalid(msg string) error {
	return &hmis.Error{Code: hmis.EINVALID, Message: "The photo was not saved.", Fields: map[string]string{"photo": msg}}
}

// preparePhoto checks an upload and returns the image Hearth stores.
func preparePhoto(raw []byte) (ClientPhoto, error) {
	if len(raw) == 0 {
		return ClientPhoto{}, photoInvalid("Choose a photo (JPEG or PNG).")
	}
	if len(raw) > MaxClientPhotoBytes {
		return ClientPhoto{}, photoInvalid(fmt.Sprintf("A photo may be at most %d MB.", MaxClientPhotoBytes>>20))
	}
	ct := http.DetectContentType(raw)
	var decode func([]byte) (image.Image, error)
	var config func([]byte) (image.Config, error)
	switch ct {
	case "image/jpeg":
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
		config = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
	case "image/png":
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
		config = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
	default:
		return ClientPhoto{}, photoInvalid("A photo must be a JPEG or PNG image.")
	}
	cfg, err := config(raw)
	if err != nil {
		return ClientPhoto{}, photoInvalid("The file is not a readable JPEG or PNG image.")
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxClientPhotoPixels || cfg.Height > MaxClientPhotoPixels {
		return ClientPhoto{}, photoInvalid(fmt.Sprintf("A photo may be at most %d pixels wide and high.", MaxClientPhotoPixels))
	}
	if cfg.Width*cfg.Height > MaxClientPhotoArea {
		return ClientPhoto{}, photoInvalid(fmt.Sprintf("A photo may have at most %d megapixels.", MaxClientPhotoArea/1_000_000))
	}
	img, err := decode(raw)
	if err != nil {
		return ClientPhoto{}, photoInvalid("The file is not a readable JPEG or PNG image.")
	}
	img = shrinkImage(img, ClientPhotoSide)
	var buf bytes.Buffer
	if ct == "image/jpeg" {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	} else {
		err = png.Encode(&buf, img)
	}
	if err != nil {
		return ClientPhoto{}, err
	}
	b := img.Bounds()
	return ClientPhoto{ContentType: ct, Data: buf.Bytes(), Width: b.Dx(), Height: b.Dy()}, nil
}

// shrinkImage scales img down so that its long side is at most side
// pixels (an average over each target pixel's source box), or copies it
// as it is when already small: either way into a fresh RGBA image.
func shrinkImage(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	nw, nh := w, h
	if w > side || h > side {
		if w >= h {
			nw, nh = side, max(1, h*side/w)
		} else {
			nw, nh = max(1, w*side/h), side
		}
	}
	out := image.NewRGBA(image.Rect(0, 0, nw, nh))
	for y := range nh {
		y0, y1 := b.Min.Y+y*h/nh, b.Min.Y+max((y+1)*h/nh, y*h/nh+1)
		for x := range nw {
			x0, x1 := b.Min.X+x*w/nw, b.Min.X+max((x+1)*w/nw, x*w/nw+1)
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, ca := img.At(sx, sy).RGBA()
					r, g, bl, a, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), a+uint64(ca), n+1
				}
			}
			out.Set(x, y, color.RGBA64{uint16(r / n), uint16(g / n), uint16(bl / n), uint16(a / n)})
		}
	}
	return out
}

// SetClientPhoto stores a client's photo (replacing any), for a user who
// may change the client. Refused with a field error ("photo") for a file
// that is not a JPEG or PNG, too large or unreadable. Audited
// ("photo.update" on the client).
func (s *Store) SetClientPhoto(ctx context.Context, personalID string, raw []byte) error {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return errNoActor
	}
	p, err := preparePhoto(raw)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.requireEditableClient(personalID); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO client_photos (personal_id, content_type, data, width, height, date_updated, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (personal_id) DO UPDATE SET content_type = excluded.content_type,
			data = excluded.data, width = excluded.width, height = excluded.height, date_updated = excluded.date_updated,
			updated_by = excluded.updated_by`, personalID, p.ContentType, p.Data, p.Width, p.Height, tx.ts(tx.now), tx.actor.String()); err != nil {
			return err
		}
		return tx.audit("photo.update", "client", personalID, fmt.Sprintf("%s %dx%d", p.ContentType, p.Width, p.Height))
	})
}

// DeleteClientPhoto removes a client's photo (a user who may change the
// client). Audited ("photo.delete"); no photo is not an error.
func (s *Store) DeleteClientPhoto(ctx context.Context, personalID string) error {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return errNoActor
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.requireEditableClient(personalID); err != nil {
			return err
		}
		res, err := tx.exec(`DELETE FROM client_photos WHERE personal_id = ?`, personalID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.audit("photo.delete", "client", personalID, "")
	})
}

func (tx *Tx) requireEditableClient(personalID string) error {
	level, err := tx.clientAccess(personalID)
	if err != nil {
		return err
	}
	switch {
	case level == access.NotFound:
		return notFound("Client")
	case level < access.Editable:
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not change their information."}
	}
	return nil
}

// HasClientPhoto reports whether a client the user sees has a photo
// (to show the photo or a placeholder; it does not read the image).
func (s *Store) HasClientPhoto(ctx context.Context, personalID string) (bool, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return false, errNoActor
	}
	has := false
	err := s.read(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM client_photos WHERE personal_id = ?`, personalID).Scan(&n); err != nil {
			return err
		}
		has = n > 0
		return nil
	})
	return has, err
}

// ErrNoPhotoPermission is the answer to a user who sees the client but
// does not hold the photo permission.
var ErrNoPhotoPermission = &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may not see client photos."}

// ClientPhoto returns a client's photo to a user who sees the client and
// holds the photo permission, and audits the view ("photo.view").
// "Client not found" for a client the user may not see, "Photo not found"
// when there is none, ErrNoPhotoPermission without the permission.
func (s *Store) ClientPhoto(ctx context.Context, personalID string) (ClientPhoto, error) {
	may, err := s.mayPII(ctx, personalID, access.PIIPhoto)
	if err != nil {
		return ClientPhoto{}, err
	}
	if !may {
		return ClientPhoto{}, ErrNoPhotoPermission
	}
	var p ClientPhoto
	err = s.write(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		err := tx.queryRow(`SELECT content_type, data, width, height FROM client_photos WHERE personal_id = ?`, personalID).
			Scan(&p.ContentType, &p.Data, &p.Width, &p.Height)
		if err := one(err, "Photo"); err != nil {
			return err
		}
		return tx.audit("photo.view", "client", personalID, "")
	})
	return p, err
}
